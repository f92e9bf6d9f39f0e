-- Compare-and-delete of a lock: only its owner may release it.
-- KEYS[1] the lock key   ARGV[1] the owner's nonce
-- Returns 1 when released, 0 when the lock was not ours (or already gone).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
