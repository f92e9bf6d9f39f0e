-- Counts one try of an address's code before the caller compares it, so that no number of parallel guesses gets
-- more than the allowed tries. A code whose tries are used up refuses every further try, even the right code; it is
-- not deleted here, because tries counted just before may still be comparing (the last wrong one deletes it).
-- KEYS[1] the address's code   hf:otp:<email key>
-- ARGV[1] tries allowed per code
-- Returns {"MISSING"} (no live code) | {"DEAD"} (no tries left) | {"TRY", code hash, tries incl. this one}
local code = redis.call('HGET', KEYS[1], 'code')
if not code then
  return {'MISSING'}
end
local tries = tonumber(redis.call('HGET', KEYS[1], 'tries') or '0')
if tries >= tonumber(ARGV[1]) then
  return {'DEAD'}
end
tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
return {'TRY', code, tostring(tries)}
