-- Compare-and-extend of a hold's record by its token; only a live hold (expiry still ahead) can be extended. A step of
-- an extend on Redis Cluster; elsewhere hold-extend.lua does the whole extend in one.
-- KEYS[1] hf:{h:<holdId>}   ARGV[1] token   ARGV[2] ttl in ms   ARGV[3] record grace in ms
-- Returns the new expiry (ms) or 0 when the token did not match or the hold had lapsed.
local fields = redis.call('HMGET', KEYS[1], 'token', 'expiresAt')
if not fields[1] or fields[1] ~= ARGV[1] then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if tonumber(fields[2]) <= now then
  return 0
end
local expiry = now + tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'expiresAt', tostring(expiry))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[3]))
return expiry
