-- Compare-and-delete: removes the granule leases that belong to this hold, never another hold's.
-- KEYS[i] hf:{s:<staff>}:g:<granule>   ARGV[1] holdId
-- Returns the number of leases removed.
local mine = ARGV[1] .. '|'
local removed = 0
for i = 1, #KEYS do
  local value = redis.call('GET', KEYS[i])
  if value and string.sub(value, 1, #mine) == mine then
    removed = removed + redis.call('DEL', KEYS[i])
  end
end
return removed
