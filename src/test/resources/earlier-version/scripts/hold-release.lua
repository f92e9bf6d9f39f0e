-- A whole release in one round trip: what the steps do (hold-record-take.lua, then ZREM from hf:lapses,
-- granules-release.lua for each staff member, hold-unreserve.lua and network-unreserve.lua), with the same keys,
-- values and TTLs. Only where one script may touch keys of any hash slot (a standalone server, Sentinel's master):
-- the store loads it behind hold-keys.lua, which names the hold's other keys from its record.
-- KEYS[1] hf:{h:<holdId>}   KEYS[2] hf:{h:<holdId>}:released (the tombstone, see hold-record-take.lua)
-- KEYS[3] hf:lapses
-- ARGV[1] token   ARGV[2] the tombstone's life in ms   ARGV[3] holdId   ARGV[4] seconds per granule
-- Returns 1 when the token matched and the hold was released, 0 otherwise (then nothing is touched).
local f = redis.call('HMGET', KEYS[1], 'token', 'clientId', 'fingerprint', 'network', 'items')
if not f[1] or f[1] ~= ARGV[1] then
  return 0
end
local id = ARGV[3]
-- Worked out before anything is written: a script that fails halfway keeps what it wrote.
local granules, n = holdGranules(f[5], ARGV[4])
local slots = {}
for i = 1, n do
  slots[i] = id .. '#' .. i
end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('HDEL', KEYS[2], 'token')
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], id)
-- Compare-and-delete, as granules-release.lua: only the leases that are this hold's, never another hold's. MGET,
-- DEL and ZREM want at least one key or member (a record has items, an item granules: the guards are for safety).
local mine = id .. '|'
local gone = {}
if #granules > 0 then
  local values = redis.call('MGET', unpack(granules))
  for i = 1, #values do
    local value = values[i]
    if value and string.sub(value, 1, #mine) == mine then
      gone[#gone + 1] = granules[i]
    end
  end
end
if #gone > 0 then
  redis.call('DEL', unpack(gone))
end
-- As hold-unreserve.lua and network-unreserve.lua: the hold's members "<holdId>#<i>", i = 1..number of items.
if n > 0 then
  redis.call('ZREM', clientSlotsKey(f[2]), unpack(slots))
  if f[4] then
    redis.call('ZREM', networkSlotsKey(f[4]), unpack(slots))
  end
end
if f[3] then
  local fingerprint = fingerprintKey(f[2], f[3])
  if redis.call('GET', fingerprint) == id then
    redis.call('DEL', fingerprint)
  end
end
return 1
