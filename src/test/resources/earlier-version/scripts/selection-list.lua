-- Lists the live selections of one staff member's day and drops the lapsed ones, in one round trip.
-- KEYS[1] hf:{s:<staff>}:sel:<date>
-- Returns a flat list clientId, time, clientId, time, ... (time as selection-put stored it)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local all = redis.call('HGETALL', KEYS[1])
local live = {}
for i = 1, #all, 2 do
  local bar = string.find(all[i + 1], '|', 1, true)
  local expiry = tonumber(string.sub(all[i + 1], bar + 1))
  if expiry > now then
    live[#live + 1] = all[i]
    live[#live + 1] = string.sub(all[i + 1], 1, bar - 1)
  else
    redis.call('HDEL', KEYS[1], all[i])
  end
end
return live
