-- Compare-and-delete of a code: used once when it was right (of two parallel right answers only one deletes it),
-- or killed after its last wrong try; a newer code of the same address is left alone.
-- KEYS[1] the address's code   hf:otp:<email key>
-- ARGV[1] keyed hash of the code that was tried
-- Returns 1 when deleted, 0 when the code had changed or gone.
if redis.call('HGET', KEYS[1], 'code') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
