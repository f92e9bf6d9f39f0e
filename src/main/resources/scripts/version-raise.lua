-- The raise of a version, shared by version-bump.lua and version-bump-publish.lua (sent in front of them).
-- Raises a version to one more than the effective version before it (its own, or the staff member's schedule
-- version when that is larger), or to ARGV[1] if that is larger. ARGV[1] is the current time in ms for a change,
-- so versions keep rising across a switch between Redis and SQL, whose counters never see each other, or the
-- floor that a storage-mode switch lays under every day (see DayVersions).
-- KEYS[1] hf:{s:<staff>}:v:<date or "schedule">   KEYS[2] (optional) hf:{s:<staff>}:v:schedule
-- ARGV[1] at least this (ms)   ARGV[2] ttl (ms)
-- Returns previous effective version, new.
local function raise()
  local previous = tonumber(redis.call('GET', KEYS[1])) or 0
  if KEYS[2] then
    previous = math.max(previous, tonumber(redis.call('GET', KEYS[2])) or 0)
  end
  local version = math.max(previous + 1, tonumber(ARGV[1]))
  redis.call('SET', KEYS[1], string.format('%.0f', version), 'PX', ARGV[2])
  return previous, version
end
