-- cache-invalidate.lua and the PUBLISH of the change in one round trip, on one Redis server (standalone, Sentinel's
-- master), where every key is reachable from one script whatever its hash tag. Redis Cluster runs
-- cache-invalidate.lua per slot and publishes on its own (RedisCacheLevel.publishToAll).
-- KEYS[1..ARGV[1]] tag version keys, KEYS[ARGV[1]+1..] entry keys to drop
-- ARGV[1] number of tag keys, ARGV[2] new version, ARGV[3] tag TTL in ms, ARGV[4] channel, ARGV[5] message
-- Returns the number of subscribers the message reached (PUBLISH's reply).
local tags = tonumber(ARGV[1])
for i = 1, tags do
  redis.call('SET', KEYS[i], ARGV[2], 'PX', ARGV[3])
end
for i = tags + 1, #KEYS do
  redis.call('UNLINK', KEYS[i])
end
return redis.call('PUBLISH', ARGV[4], ARGV[5])
