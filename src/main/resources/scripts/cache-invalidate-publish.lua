-- cache-invalidate.lua and the PUBLISH of the change in one round trip (behind cache-tags.lua), on one Redis server
-- (standalone, Sentinel's master), where every key is reachable from one script whatever its hash tag. Redis Cluster
-- runs cache-invalidate.lua per slot and publishes on its own (RedisCacheLevel.publishToAll).
-- KEYS and ARGV[1..3] as cache-tags.lua says; ARGV[4] channel, ARGV[5] message
-- Returns the number of subscribers the message reached (PUBLISH's reply).
newTagVersions()
return redis.call('PUBLISH', ARGV[4], ARGV[5])
