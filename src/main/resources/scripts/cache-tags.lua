-- Not a script of its own: RedisCacheLevel sends this text in front of cache-invalidate.lua and
-- cache-invalidate-publish.lua, which share it (Redis scripts cannot include one another).
-- Gives each tag a new version (entries stamped with the old one are no longer served) and drops entries known to
-- be affected. The version is new for every change and the tag lives longer than any entry, so an old version
-- can never come back (no ABA after a tag key expires).
-- KEYS[1..ARGV[1]] tag version keys, KEYS[ARGV[1]+1..] entry keys to drop
-- ARGV[1] number of tag keys, ARGV[2] new version, ARGV[3] tag TTL in ms
-- Returns the number of tags.
local function newTagVersions()
  local tags = tonumber(ARGV[1])
  for i = 1, tags do
    redis.call('SET', KEYS[i], ARGV[2], 'PX', ARGV[3])
  end
  for i = tags + 1, #KEYS do
    redis.call('UNLINK', KEYS[i])
  end
  return tags
end
