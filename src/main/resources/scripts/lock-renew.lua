-- Compare-and-pexpire of a lock: only its owner may extend its lease.
-- KEYS[1] the lock key   ARGV[1] the owner's nonce   ARGV[2] the new lease in milliseconds
-- Returns 1 when extended, 0 when the lock is not ours (it lapsed, or another owner took it since).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
