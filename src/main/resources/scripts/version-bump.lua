-- Raises a version: to one more than before, or to the current time in ms if that is larger. Versions taken from
-- the clock keep rising across a switch between Redis and SQL, whose counters never see each other.
-- KEYS[1] hf:{s:<staff>}:v:<date or "schedule">   ARGV[1] now (ms)   ARGV[2] ttl (ms)
-- Returns {previous, new}.
local previous = tonumber(redis.call('GET', KEYS[1])) or 0
local version = math.max(previous + 1, tonumber(ARGV[1]))
redis.call('SET', KEYS[1], string.format('%.0f', version), 'PX', ARGV[2])
return {previous, version}
