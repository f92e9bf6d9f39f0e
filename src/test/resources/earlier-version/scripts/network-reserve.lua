-- Reserves slots of one hold against its client network's limit (an IPv4 address, an IPv6 /64), whatever clientId
-- the request names. The count and the reservation are one step, so parallel requests of one network under
-- rotating clientIds cannot pass the limit. A key of its own hash tag: the client's reservation (hold-reserve.lua)
-- is a separate script, run first; a refusal here is undone there by hold-unreserve.lua.
-- KEYS[1] the network's held slots (zset: member "<holdId>#<i>", score = expiry in ms)   hf:{n:<network>}:slots
-- ARGV[1] holdId   ARGV[2] number of slots   ARGV[3] max slots per network   ARGV[4] ttl in ms
-- ARGV[5] deadline (ms, Redis clock; see hold-reserve.lua): a late request must not leave a reservation behind
-- Returns 1 when reserved, 0 when the network would hold more than its limit, -1 when too late (nothing is
-- written then).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now > tonumber(ARGV[5]) then
  return -1
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local n = tonumber(ARGV[2])
if redis.call('ZCARD', KEYS[1]) + n > tonumber(ARGV[3]) then
  return 0
end
local expiry = now + tonumber(ARGV[4])
for i = 1, n do
  redis.call('ZADD', KEYS[1], expiry, ARGV[1] .. '#' .. i)
end
-- The set lives as long as its longest-lived member: never shorten it below an extended hold's (PTTL is -1 for the
-- new set, which has none yet).
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return 1
