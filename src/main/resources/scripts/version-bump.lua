-- A version raised (behind version-raise.lua). KEYS and ARGV as version-raise.lua says.
-- Returns {previous effective version, new}.
local previous, version = raise()
return {previous, version}
