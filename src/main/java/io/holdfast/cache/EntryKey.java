package io.holdfast.cache;

import java.util.List;

/**
 * Where one cache entry lives: its Redis key, the key of the lock that lets one instance load it, and the Redis keys
 * of the tags whose versions it is stamped with. All of them share one hash tag (one Redis Cluster slot), so a read
 * is one MGET and a conditional write one script.
 */
record EntryKey(String cache, Object key, String redisKey, String lockKey, List<String> tags) {

    boolean taggedWithAny(java.util.Collection<String> changed) {
        for (String tag : tags) {
            if (changed.contains(tag)) {
                return true;
            }
        }
        return false;
    }
}
