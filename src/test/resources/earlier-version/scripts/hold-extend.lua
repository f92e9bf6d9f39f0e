-- A whole extend in one round trip: what the steps do (the record read, granules-extend.lua for each staff member,
-- hold-record-extend.lua, then the reservations and the lapse index moved to the new expiry), with the same keys,
-- values and TTLs; all or nothing, where the steps may have extended one staff member's leases before they found
-- another's gone. Only where one script may touch keys of any hash slot (a standalone server, Sentinel's master):
-- the store loads it behind hold-keys.lua, which names the hold's other keys from its record.
-- KEYS[1] hf:{h:<holdId>}   KEYS[2] hf:lapses
-- ARGV[1] token   ARGV[2] holdId   ARGV[3] ttl in ms   ARGV[4] record grace in ms   ARGV[5] seconds per granule
-- Returns the new expiry (ms), or 0 when the token did not match, the hold had lapsed or any of its leases is gone
-- or another hold's (then nothing is touched).
local f = redis.call('HMGET', KEYS[1], 'token', 'expiresAt', 'clientId', 'network', 'items')
if not f[1] or f[1] ~= ARGV[1] then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if tonumber(f[2]) <= now then
  return 0
end
local id = ARGV[2]
local granules, n = holdGranules(f[5], ARGV[5])
if n == 0 or #granules == 0 then
  return 0 -- no record the store writes; nothing to extend
end
local mine = id .. '|'
local values = redis.call('MGET', unpack(granules))
for i = 1, #values do
  local value = values[i]
  if not value or string.sub(value, 1, #mine) ~= mine then
    return 0 -- a lease already lapsed: the hold is over
  end
end
local ttl = tonumber(ARGV[3])
for i = 1, #granules do
  redis.call('PEXPIRE', granules[i], ttl)
end
local expiry = now + ttl
redis.call('HSET', KEYS[1], 'expiresAt', tostring(expiry))
redis.call('PEXPIRE', KEYS[1], ttl + tonumber(ARGV[4]))
local members = {}
for i = 1, n do
  members[#members + 1] = expiry
  members[#members + 1] = id .. '#' .. i
end
local slots = clientSlotsKey(f[3])
redis.call('ZADD', slots, unpack(members))
redis.call('ZADD', KEYS[2], expiry, id)
redis.call('PEXPIRE', slots, ttl)
if f[4] then
  -- The hold keeps counting against its network for as long as it lives.
  local network = networkSlotsKey(f[4])
  redis.call('ZADD', network, unpack(members))
  redis.call('PEXPIRE', network, ttl, 'GT')
end
return expiry
