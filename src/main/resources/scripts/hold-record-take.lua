-- Compare-and-delete of a hold's record by its token (release). The record becomes a tombstone (same TTL), so
-- that the hold's token cannot bring it back; the granules and the client's reservation are then removed by their
-- own compare-and-delete scripts.
-- KEYS[1] hf:{h:<holdId>}   KEYS[2] hf:{h:<holdId>}:released (same hash slot)   ARGV[1] token
-- Returns the record's fields (flat list) when the token matched, else an empty list.
local token = redis.call('HGET', KEYS[1], 'token')
if not token or token ~= ARGV[1] then
  return {}
end
local fields = redis.call('HGETALL', KEYS[1])
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('HDEL', KEYS[2], 'token')
return fields
