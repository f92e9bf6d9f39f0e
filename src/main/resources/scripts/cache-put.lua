-- Writes a cache entry only if none of its tags changed since the loader read them (so a load that raced with an
-- invalidation never puts its stale value back), then gives up the load lock if this loader held it.
-- KEYS[1] entry, KEYS[2] load lock, KEYS[3..] tag version keys
-- ARGV[1] TTL in ms, ARGV[2] payload (stamp line + JSON), ARGV[3] lock nonce (or ""), ARGV[4..] tag versions read
-- before the load ("-" = tag key absent)
local written = 1
for i = 3, #KEYS do
  local current = redis.call('GET', KEYS[i]) or '-'
  if current ~= ARGV[i + 1] then
    written = 0
    break
  end
end
if written == 1 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1])
end
if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then
  redis.call('DEL', KEYS[2])
end
return written
