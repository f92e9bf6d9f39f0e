-- A day's version raised and the change published with it, in one round trip (issue #13: a hold, a release and a
-- booking made two, the raise and then the PUBLISH), behind version-raise.lua. A day's messages therefore leave in
-- the order of its versions. The message names the new version and the one before it, which only this script
-- knows: its text is ARGV[4] .. new .. ARGV[5] .. previous .. ARGV[6] (the caller serialises the rest).
-- KEYS and ARGV[1..2] as version-raise.lua says; ARGV[3] channel
-- Returns {previous effective version, new}.
local previous, version = raise()
redis.call('PUBLISH', ARGV[3], ARGV[4] .. string.format('%.0f', version) .. ARGV[5]
    .. string.format('%.0f', previous) .. ARGV[6])
return {previous, version}
