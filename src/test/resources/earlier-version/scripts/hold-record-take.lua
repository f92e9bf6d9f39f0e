-- Compare-and-delete of a hold's record by its token (release). The record becomes a tombstone that lives as long
-- as the token could adopt the hold (ARGV[2]; the record's own TTL can be much shorter, e.g. a lease plus a short
-- grace), so that the token cannot bring it back; the granules and the client's reservation are then removed by
-- their own compare-and-delete scripts. That is on Redis Cluster; elsewhere hold-release.lua does it all in one.
-- KEYS[1] hf:{h:<holdId>}   KEYS[2] hf:{h:<holdId>}:released (same hash slot)   ARGV[1] token
-- ARGV[2] the tombstone's life in ms
-- Returns the record's fields (flat list) when the token matched, else an empty list.
local token = redis.call('HGET', KEYS[1], 'token')
if not token or token ~= ARGV[1] then
  return {}
end
local fields = redis.call('HGETALL', KEYS[1])
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('HDEL', KEYS[2], 'token')
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return fields
