-- What a viewer of one staff member's day sees change, in one round trip (availability and the live poll read it on
-- every view): the values of the day's version keys, the live selections of the day (dropping the lapsed ones), and
-- the leases of a range of granules. Every key is the staff member's ({s:<staff>}), one hash slot: it runs on Redis
-- Cluster as on one server.
-- KEYS[1..n] version keys (n = ARGV[1], may be 0)   KEYS[n+1] hf:{s:<staff>}:sel:<date> (see selection-put.lua)
-- KEYS[n+2..] granule leases hf:{s:<staff>}:g:<granule> (may be none)
-- Returns {versions, selections, leases}: versions and leases one entry per key, nil where unset; selections a flat
-- list clientId, time, clientId, time, ... (time as selection-put stored it)
local n = tonumber(ARGV[1])
local versions = {}
for i = 1, n do
  versions[i] = redis.call('GET', KEYS[i])
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local all = redis.call('HGETALL', KEYS[n + 1])
local live = {}
for i = 1, #all, 2 do
  local bar = string.find(all[i + 1], '|', 1, true)
  local expiry = tonumber(string.sub(all[i + 1], bar + 1))
  if expiry > now then
    live[#live + 1] = all[i]
    live[#live + 1] = string.sub(all[i + 1], 1, bar - 1)
  else
    redis.call('HDEL', KEYS[n + 1], all[i])
  end
end
local leases = {}
if #KEYS > n + 1 then
  leases = redis.call('MGET', unpack(KEYS, n + 2))
end
return {versions, live, leases}
