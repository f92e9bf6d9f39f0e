-- Leases every granule of one staff member for one hold, or none (the seeds' "Lua batch lock").
-- All keys carry the staff member's hash tag, so this is one hash slot in Redis Cluster.
-- KEYS[i] hf:{s:<staff>}:g:<granule>
-- ARGV[1] holdId   ARGV[2] clientId   ARGV[3] ttl in ms   ARGV[4] deadline (ms, Redis clock; see hold-reserve.lua)
-- ARGV[4 + i] slot start (epoch s) of the item KEYS[i] belongs to
-- Returns 1 when all were leased; 0 when any is leased by another hold; -1 when too late (nothing is written then).
local t = redis.call('TIME')
if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[4]) then
  return -1
end
local mine = ARGV[1] .. '|'
for i = 1, #KEYS do
  local value = redis.call('GET', KEYS[i])
  if value and string.sub(value, 1, #mine) ~= mine then
    return 0
  end
end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], mine .. ARGV[2] .. '|' .. ARGV[4 + i], 'PX', ARGV[3])
end
return 1
