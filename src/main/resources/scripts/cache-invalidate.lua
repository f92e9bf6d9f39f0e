-- A change's invalidation (behind cache-tags.lua): new tag versions, affected entries dropped; keys and arguments
-- as cache-tags.lua says. Redis Cluster runs it once per hash slot. Returns the number of tags.
return newTagVersions()
