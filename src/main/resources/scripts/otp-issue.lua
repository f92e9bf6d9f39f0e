-- Stores a new one-time code for an address, replacing any earlier one (whose tries die with it).
-- KEYS[1] the address's code (hash: code = keyed hash of the code, tries = tries so far)   hf:otp:<email key>
-- ARGV[1] keyed hash of the code   ARGV[2] lifetime in ms
-- Returns 1.
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'code', ARGV[1], 'tries', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
