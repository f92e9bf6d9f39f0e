-- Records a client's active selection on one staff member's day, replacing its earlier one.
-- KEYS[1] hf:{s:<staff>}:sel:<date> (hash: clientId -> "<time>|expiry ms")
-- ARGV[1] clientId   ARGV[2] time: "HH:mm" and offset ("02:30+01:00"), or "HH:mm" alone as stored before   ARGV[3] ttl in ms
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. (now + tonumber(ARGV[3])))
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return 1
