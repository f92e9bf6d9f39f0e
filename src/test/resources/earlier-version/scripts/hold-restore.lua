-- A failback copy of one hold from SQL, in one script (FailbackSync, through RedisTemporaryStore.restoreAll): what
-- restore() does in steps (granules-lease.lua, the reservations, the record with its lapse index), with the hold's own
-- expiry, or nothing when any granule is leased by another hold. Never refused for the client's or the network's
-- limit: the hold exists already. Only where one script may touch keys of any hash slot (not on Redis Cluster).
-- KEYS[1] hf:{c:<client>}:slots   KEYS[2] hf:{c:<client>}:fp:<sha256>   KEYS[3] hf:{h:<holdId>}   KEYS[4] hf:lapses
-- KEYS[5] hf:{n:<network>}:slots, only when ARGV[8] names a network; then the granules from KEYS[g], g = 6 or 5
-- ARGV[1] holdId   ARGV[2] number of slots   ARGV[3] remaining ttl in ms   ARGV[4] clientId   ARGV[5] token
-- ARGV[6] createdAt (ms)   ARGV[7] fingerprint   ARGV[8] network ('' for none)   ARGV[9] items (encoded)
-- ARGV[10] record grace in ms   ARGV[11] expiresAt (ms)   ARGV[12] heldSince (ms: since when the hold has held its
-- time, which decides "earlier hold wins" at a later failback; see RedisTemporaryStore.rivals)
-- ARGV[12 + j] slot start (epoch s) of granule j
-- Returns 1 when copied, 0 when a granule is another hold's.
local network = ARGV[8] ~= ''
local g = 5
if network then
  g = 6
end
local mine = ARGV[1] .. '|'
local values = redis.call('MGET', unpack(KEYS, g, #KEYS))
for i = 1, #values do
  local value = values[i]
  if value and string.sub(value, 1, #mine) ~= mine then
    return 0
  end
end
local ttl = tonumber(ARGV[3])
for i = g, #KEYS do
  redis.call('SET', KEYS[i], mine .. ARGV[4] .. '|' .. ARGV[12 + i - g + 1], 'PX', ttl)
end
local n = tonumber(ARGV[2])
local expiry = ARGV[11]
local function reserve(key)
  for i = 1, n do
    redis.call('ZADD', key, expiry, ARGV[1] .. '#' .. i)
  end
  -- GT: never shorten the set's life below another, longer hold's.
  redis.call('PEXPIRE', key, ttl, 'GT')
  redis.call('PEXPIRE', key, ttl, 'NX')
end
reserve(KEYS[1])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ttl)
if network then
  reserve(KEYS[5])
end
local recordTtl = ttl + tonumber(ARGV[10])
redis.call('HSET', KEYS[3], 'clientId', ARGV[4], 'token', ARGV[5], 'createdAt', ARGV[6], 'expiresAt', expiry,
  'fingerprint', ARGV[7], 'items', ARGV[9], 'heldSince', ARGV[12])
if network then
  redis.call('HSET', KEYS[3], 'network', ARGV[8])
end
redis.call('PEXPIRE', KEYS[3], recordTtl)
redis.call('ZADD', KEYS[4], expiry, ARGV[1])
redis.call('PEXPIRE', KEYS[4], recordTtl, 'GT')
redis.call('PEXPIRE', KEYS[4], recordTtl, 'NX')
return 1
