-- Counts one try of an address's code before the caller compares it, so that no number of parallel guesses gets
-- more than the allowed tries. Tries are counted per client network and for all networks together: a network whose
-- tries are used up is refused (the code lives on for the guest elsewhere); a code whose total tries are used up
-- refuses every further try, even the right code. It is not deleted here, because tries counted just before may
-- still be comparing (the last wrong one deletes it).
-- KEYS[1] the address's code   hf:otp:<email key>
-- ARGV[1] tries allowed per client network   ARGV[2] tries allowed in all   ARGV[3] the network's field  n:<network key>
-- Returns {"MISSING"} (no live code) | {"DEAD"} (no tries left here) | {"TRY", code hash, tries incl. this one}
local code = redis.call('HGET', KEYS[1], 'code')
if not code then
  return {'MISSING'}
end
local tries = tonumber(redis.call('HGET', KEYS[1], 'tries') or '0')
if tries >= tonumber(ARGV[2]) then
  return {'DEAD'}
end
local mine = tonumber(redis.call('HGET', KEYS[1], ARGV[3]) or '0')
if mine >= tonumber(ARGV[1]) then
  return {'DEAD'}
end
redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
return {'TRY', code, tostring(tries)}
