-- A whole hold in one round trip, or none of it: the client's reservation and fingerprint (hold-reserve.lua), the
-- network's reservation (network-reserve.lua), every granule of every staff member (granules-lease.lua) and the
-- record with its place in the lapse index, with the same verdicts, keys, values and TTLs as those steps. Only where
-- one script may touch keys of different hash slots (a standalone server, Sentinel's master): on Redis Cluster the
-- client's, the network's, the staff members', the record's keys and hf:lapses lie in different slots, and the store
-- takes the steps one by one there. A refusal writes nothing, so there is nothing to give back.
-- KEYS[1] hf:{c:<client>}:slots   KEYS[2] hf:{c:<client>}:fp:<fingerprint>   KEYS[3] hf:{h:<holdId>}   KEYS[4] hf:lapses
-- KEYS[5] hf:{n:<network>}:slots, only when ARGV[12] names a network; then the granules:
-- KEYS[g + j - 1] hf:{s:<staff>}:g:<granule>, j = 1..m, where g is 6 with a network and 5 without
-- ARGV[1] holdId   ARGV[2] number of slots   ARGV[3] max slots per client   ARGV[4] ttl in ms
-- ARGV[5] deadline (ms, Redis clock; see hold-reserve.lua)   ARGV[6] max slots per network
-- ARGV[7] clientId   ARGV[8] the record's token field ('mac' or 'token', see hold-token.lua)   ARGV[9] its value
-- ARGV[10] createdAt (ms)   ARGV[11] fingerprint   ARGV[12] network ('' for none)   ARGV[13] items (encoded)
-- ARGV[14] record grace in ms   ARGV[15] the fingerprint's key in the other form ('' for none; see hold-reserve.lua)
-- ARGV[15 + j] the slot of the item granule j belongs to (RedisTemporaryStore.slotOf, or epoch s)
-- Returns {"CREATED", expiryMs} | {"EXISTING", holdId} | {"LIMIT"} | {"ADDRESS_LIMIT"} | {"CONFLICT"} | {"LATE"}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now > tonumber(ARGV[5]) then
  return {'LATE'}
end
local existing = redis.call('GET', KEYS[2])
if not existing and ARGV[15] ~= '' then
  -- Named, not given, as hold-keys.lua's keys: this script runs only where a script may touch any key.
  existing = redis.call('GET', ARGV[15])
end
if existing then
  return {'EXISTING', existing}
end
local n = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) + n > tonumber(ARGV[3]) then
  return {'LIMIT'}
end
local network = ARGV[12] ~= ''
local g = 5
if network then
  g = 6
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
  if redis.call('ZCARD', KEYS[5]) + n > tonumber(ARGV[6]) then
    return {'ADDRESS_LIMIT'}
  end
end
local mine = ARGV[1] .. '|'
-- One MGET rather than a GET per granule: each call from a script costs the server a few microseconds.
local values = redis.call('MGET', unpack(KEYS, g, #KEYS))
for i = 1, #values do
  local value = values[i]
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
if network then
  for i = 1, n do
    redis.call('ZADD', KEYS[5], expiry, ARGV[1] .. '#' .. i)
  end
  -- As network-reserve.lua: never shorten the set's life below an extended hold's.
  if redis.call('PTTL', KEYS[5]) < ttl then
    redis.call('PEXPIRE', KEYS[5], ttl)
  end
end
for i = g, #KEYS do
  redis.call('SET', KEYS[i], mine .. ARGV[7] .. '|' .. ARGV[15 + i - g + 1], 'PX', ttl)
end
local recordTtl = ttl + tonumber(ARGV[14])
redis.call('HSET', KEYS[3], 'clientId', ARGV[7], ARGV[8], ARGV[9], 'createdAt', ARGV[10], 'expiresAt', tostring(expiry),
  'fingerprint', ARGV[11], 'items', ARGV[13])
if network then
  redis.call('HSET', KEYS[3], 'network', ARGV[12])
end
redis.call('PEXPIRE', KEYS[3], recordTtl)
redis.call('ZADD', KEYS[4], expiry, ARGV[1])
-- The index lives as long as its longest-lived member's record, so it is never left behind.
redis.call('PEXPIRE', KEYS[4], recordTtl, 'GT')
redis.call('PEXPIRE', KEYS[4], recordTtl, 'NX')
return {'CREATED', tostring(expiry)}
