-- Compare-and-delete of a hold's record by its token (release). The record becomes a tombstone that lives as long
-- as the token could adopt the hold (ARGV[2]; the record's own TTL can be much shorter, e.g. a lease plus a short
-- grace), so that the token cannot bring it back; the granules and the client's reservation are then removed by
-- their own compare-and-delete scripts. That is on Redis Cluster; elsewhere hold-release.lua does it all in one.
-- Loaded behind hold-token.lua.
-- KEYS[1] hf:{h:<holdId>}   KEYS[2] hf:{h:<holdId>}:released (same hash slot)   ARGV[1] token
-- ARGV[2] the tombstone's life in ms   ARGV[3] the token's claim   ARGV[4] its HMAC (see hold-token.lua)
-- Returns the record's fields (flat list) when the token matched, else an empty list.
local f = redis.call('HMGET', KEYS[1], 'token', 'mac', 'clientId', 'createdAt', 'items')
if not isRecordsToken(f[1], f[2], f[3], f[4], f[5], ARGV[1], ARGV[3], ARGV[4]) then
  return {}
end
local fields = redis.call('HGETALL', KEYS[1])
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('HDEL', KEYS[2], 'token', 'mac')
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return fields
