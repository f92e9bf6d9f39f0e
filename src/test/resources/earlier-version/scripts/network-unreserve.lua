-- Gives back a network's reservation for one hold (after a conflict, a release or a booking).
-- KEYS[1] the network's held slots zset   ARGV[1] holdId   ARGV[2] number of slots
-- Returns the number of slots removed.
local removed = 0
for i = 1, tonumber(ARGV[2]) do
  removed = removed + redis.call('ZREM', KEYS[1], ARGV[1] .. '#' .. i)
end
return removed
