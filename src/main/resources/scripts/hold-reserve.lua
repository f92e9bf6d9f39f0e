-- Reserves hold capacity for one client and remembers the request's fingerprint, so that a retried
-- identical request finds the same hold. Runs before any granule is leased.
-- KEYS[1] the client's held slots (zset: member "<holdId>#<i>", score = expiry in ms)   hf:{c:<client>}:slots
-- KEYS[2] the fingerprint of this request -> holdId                                    hf:{c:<client>}:fp:<fingerprint>
-- KEYS[3] optional: the fingerprint's key in the other form (the whole SHA-256 in hex, as an earlier version named it,
--         or the compact one while the store writes the earlier forms), read as well, so that a retry of a request
--         another instance took during a rolling upgrade finds its hold (RedisTemporaryStore.otherFingerprintKey)
-- ARGV[1] holdId   ARGV[2] number of slots   ARGV[3] max slots per client   ARGV[4] ttl in ms
-- ARGV[5] deadline (ms, Redis clock): a request that reaches Redis later than this was already answered from SQL
--         (it timed out, was buffered by a stalled server or replayed after a reconnect) and must not act.
-- Returns {"EXISTING", holdId} | {"LIMIT"} | {"RESERVED", expiryMs} | {"LATE"}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now > tonumber(ARGV[5]) then
  return {'LATE'}
end
local existing = redis.call('GET', KEYS[2])
if not existing and KEYS[3] then
  existing = redis.call('GET', KEYS[3])
end
if existing then
  return {'EXISTING', existing}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local n = tonumber(ARGV[2])
if redis.call('ZCARD', KEYS[1]) + n > tonumber(ARGV[3]) then
  return {'LIMIT'}
end
local expiry = now + tonumber(ARGV[4])
for i = 1, n do
  redis.call('ZADD', KEYS[1], expiry, ARGV[1] .. '#' .. i)
end
redis.call('PEXPIREAT', KEYS[1], expiry)
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[4])
return {'RESERVED', tostring(expiry)}
