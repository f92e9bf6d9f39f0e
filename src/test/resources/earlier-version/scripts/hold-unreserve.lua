-- Gives back a client's reservation for one hold (after a conflict, a release or a booking).
-- KEYS[1] the client's held slots zset   KEYS[2] the fingerprint key of the hold (may be absent)
-- ARGV[1] holdId   ARGV[2] number of slots
-- Returns the number of slots removed.
local removed = 0
for i = 1, tonumber(ARGV[2]) do
  removed = removed + redis.call('ZREM', KEYS[1], ARGV[1] .. '#' .. i)
end
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[2])
end
return removed
