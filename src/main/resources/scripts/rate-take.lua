-- Takes one request from a rate limit's window in one round trip (issue #13: Bucket4j's Redis integration needs a
-- GET and a compare-and-swap EVAL for each). A window starts with the first request after the last one ended and
-- allows ARGV[3] requests; all of them return when it ends (the seed's INCR + EXPIRE). Its end is kept in the
-- application's clock (ARGV[1]), as the SQL twin's Bucket4j buckets count; the key's own expiry only clears it up,
-- ARGV[4] after the window's end.
-- KEYS[1] hf:limit:<limit>:<id>
-- ARGV[1] now (ms)   ARGV[2] window (ms)   ARGV[3] requests per window   ARGV[4] kept after the window's end (ms)
-- Returns 0 when the request is taken, else the ms until the window ends.
local now = tonumber(ARGV[1])
local window = redis.call('HMGET', KEYS[1], 'end', 'taken')
local ends = tonumber(window[1])
if not ends or ends <= now then
  ends = now + tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], 'end', string.format('%.0f', ends), 'taken', 1)
  redis.call('PEXPIRE', KEYS[1], string.format('%.0f', ends - now + tonumber(ARGV[4])))
  return 0
end
if (tonumber(window[2]) or 0) >= tonumber(ARGV[3]) then
  return ends - now
end
redis.call('HINCRBY', KEYS[1], 'taken', 1)
return 0
