-- Compare-and-extend: moves the expiry of this hold's granule leases; fails if any of them is gone
-- or belongs to another hold (the hold lapsed in between).
-- KEYS[i] hf:{s:<staff>}:g:<granule>   ARGV[1] holdId   ARGV[2] ttl in ms
-- Returns 1 when every lease was extended, 0 otherwise (then none is extended).
local mine = ARGV[1] .. '|'
for i = 1, #KEYS do
  local value = redis.call('GET', KEYS[i])
  if not value or string.sub(value, 1, #mine) ~= mine then
    return 0
  end
end
for i = 1, #KEYS do
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
end
return 1
