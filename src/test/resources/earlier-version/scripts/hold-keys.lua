-- Not a script of its own: the store puts this text in front of the scripts that are not given a hold's keys
-- (hold-release.lua, hold-extend.lua), so that they name them from the hold's fields and the
-- caller need not read the record first. Outside Cluster Redis lets a script touch keys it was not given; on Redis
-- Cluster those keys lie in other hash slots and the store takes steps instead. The layout is RedisTemporaryStore's
-- (granuleKey, clientSlots, fingerprintKey, networkSlots); RedisTemporaryStoreTest compares these
-- scripts' effects with the steps' key by key.

-- The granule keys of a record's items (HoldItems: "staff,service,start,end,from,to;..." in epoch seconds; as
-- Granules.covering, [from, to) in granules of `seconds`) and the number of items. The staff id stays text: a Lua
-- number would round ids above 2^53.
local function holdGranules(items, seconds)
  local granule = tonumber(seconds)
  local keys = {}
  local count = 0
  for staff, from, to in string.gmatch(items, '([^,;]+),[^,;]+,[^,;]+,[^,;]+,([^,;]+),([^,;]+)') do
    count = count + 1
    local last = math.floor((tonumber(to) + granule - 1) / granule) - 1
    for g = math.floor(tonumber(from) / granule), last do
      keys[#keys + 1] = 'hf:{s:' .. staff .. '}:g:' .. string.format('%d', g)
    end
  end
  return keys, count
end

local function clientSlotsKey(clientId)
  return 'hf:{c:' .. clientId .. '}:slots'
end

local function fingerprintKey(clientId, fingerprint)
  return 'hf:{c:' .. clientId .. '}:fp:' .. fingerprint
end

local function networkSlotsKey(network)
  return 'hf:{n:' .. network .. '}:slots'
end

