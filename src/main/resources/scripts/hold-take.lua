-- A whole hold in one round trip (standalone Redis, where a script may touch any key): reserves the client's
-- capacity, leases every granule of every staff member and writes the hold's record and its place in the lapse
-- index, or does none of it. Cluster keeps the three steps (hold-reserve, granules-lease per staff member, the
-- record), because these keys lie in different hash slots there.
-- KEYS[1] hf:{c:<client>}:slots   KEYS[2] hf:{c:<client>}:fp:<sha256>   KEYS[3] hf:{h:<holdId>}   KEYS[4] hf:lapses
-- KEYS[4 + i] hf:{s:<staff>}:g:<granule>
-- ARGV[1] holdId   ARGV[2] number of slots   ARGV[3] max slots per client   ARGV[4] ttl in ms
-- ARGV[5] deadline (ms, Redis clock; see hold-reserve.lua)   ARGV[6] clientId   ARGV[7] token   ARGV[8] createdAt (ms)
-- ARGV[9] fingerprint   ARGV[10] items (encoded)   ARGV[11] record grace in ms
-- ARGV[11 + i] slot start (epoch s) of the item KEYS[4 + i] belongs to
-- Returns {"EXISTING", holdId} | {"LIMIT"} | {"CONFLICT"} | {"RESERVED", expiryMs} | {"LATE"}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now > tonumber(ARGV[5]) then
  return {'LATE'}
end
local existing = redis.call('GET', KEYS[2])
if existing then
  return {'EXISTING', existing}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local n = tonumber(ARGV[2])
if redis.call('ZCARD', KEYS[1]) + n > tonumber(ARGV[3]) then
  return {'LIMIT'}
end
local mine = ARGV[1] .. '|'
for i = 5, #KEYS do
  local value = redis.call('GET', KEYS[i])
  if value and string.sub(value, 1, #mine) ~= mine then
    return {'CONFLICT'}
  end
end
local ttl = tonumber(ARGV[4])
local expiry = now + ttl
for i = 1, n do
  redis.call('ZADD', KEYS[1], expiry, ARGV[1] .. '#' .. i)
end
redis.call('PEXPIREAT', KEYS[1], expiry)
redis.call('SET', KEYS[2], ARGV[1], 'PX', ttl)
for i = 5, #KEYS do
  redis.call('SET', KEYS[i], mine .. ARGV[6] .. '|' .. ARGV[7 + i], 'PX', ttl)
end
local recordTtl = ttl + tonumber(ARGV[11])
redis.call('HSET', KEYS[3], 'clientId', ARGV[6], 'token', ARGV[7], 'createdAt', ARGV[8], 'expiresAt', tostring(expiry),
  'fingerprint', ARGV[9], 'items', ARGV[10])
redis.call('PEXPIRE', KEYS[3], recordTtl)
redis.call('ZADD', KEYS[4], expiry, ARGV[1])
-- The index lives as long as its longest-lived member's record, so it is never left behind.
redis.call('PEXPIRE', KEYS[4], recordTtl, 'GT')
redis.call('PEXPIRE', KEYS[4], recordTtl, 'NX')
return {'RESERVED', tostring(expiry)}
