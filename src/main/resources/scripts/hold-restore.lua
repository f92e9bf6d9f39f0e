-- A failback copy of one hold from SQL, in one script (FailbackSync, through RedisTemporaryStore.restoreAll): what
-- restore() does in steps (granules-lease.lua, the reservations, the record with its lapse index), with the hold's own
-- expiry, or nothing when any granule is leased by another hold. Never refused for the client's or the network's
-- limit: the hold exists already. Only where one script may touch keys of any hash slot (not on Redis Cluster).
-- 16 or 17 Redis calls for a hold of one slot and six granules with a network (MGET, 6 SET, ZADD and PEXPIRE per new
-- reservation set, a second PEXPIRE where the set was older, SET, HSET, PEXPIRE, ZADD); it was 21.
-- KEYS[1] hf:{c:<client>}:slots   KEYS[2] hf:{c:<client>}:fp:<fingerprint>   KEYS[3] hf:{h:<holdId>}   KEYS[4] hf:lapses
-- KEYS[5] hf:{n:<network>}:slots, only when ARGV[9] names a network; then the granules from KEYS[g], g = 6 or 5
-- ARGV[1] holdId   ARGV[2] number of slots   ARGV[3] remaining ttl in ms   ARGV[4] clientId
-- ARGV[5] the record's token field ('mac' or 'token', see hold-token.lua)   ARGV[6] its value
-- ARGV[7] createdAt (ms)   ARGV[8] fingerprint   ARGV[9] network ('' for none)   ARGV[10] items (encoded)
-- ARGV[11] record grace in ms   ARGV[12] expiresAt (ms)   ARGV[13] heldSince (ms: since when the hold has held its
-- time, which decides "earlier hold wins" at a later failback; see RedisTemporaryStore.rivals)
-- ARGV[13 + j] the slot of granule j (RedisTemporaryStore.slotOf: granules from its start, or epoch s)
-- Returns 1 when copied, 0 when a granule is another hold's.
local network = ARGV[9] ~= ''
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
  redis.call('SET', KEYS[i], mine .. ARGV[4] .. '|' .. ARGV[13 + i - g + 1], 'PX', ttl)
end
local n = tonumber(ARGV[2])
local expiry = ARGV[12]
local members = {}
for i = 1, n do
  members[#members + 1] = expiry
  members[#members + 1] = ARGV[1] .. '#' .. i
end
local function reserve(key)
  redis.call('ZADD', key, unpack(members))
  -- A new set gets the hold's life (NX); an older one only a longer life (GT: never shorten it below another,
  -- longer hold's). One call where the set is new, as most are at a failback.
  if redis.call('PEXPIRE', key, ttl, 'NX') == 0 then
    redis.call('PEXPIRE', key, ttl, 'GT')
  end
end
reserve(KEYS[1])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ttl)
if network then
  reserve(KEYS[5])
end
local recordTtl = ttl + tonumber(ARGV[11])
local fields = {'clientId', ARGV[4], ARGV[5], ARGV[6], 'createdAt', ARGV[7], 'expiresAt', expiry,
  'fingerprint', ARGV[8], 'items', ARGV[10], 'heldSince', ARGV[13]}
if network then
  fields[#fields + 1] = 'network'
  fields[#fields + 1] = ARGV[9]
end
redis.call('HSET', KEYS[3], unpack(fields))
redis.call('PEXPIRE', KEYS[3], recordTtl)
-- The lapse index's life is raised once per batch, after its scripts (RedisTemporaryStore.restoreAll), not here.
redis.call('ZADD', KEYS[4], expiry, ARGV[1])
return 1
