package io.holdfast.cache;

import java.util.List;
import java.util.Objects;

/**
 * One cache entry: which cache, which key, and where it lives in Redis (its key, the key of the lock that lets one
 * instance load it, and the Redis keys of the tags whose versions it is stamped with). All of those share one hash
 * tag (one Redis Cluster slot), so a read is one MGET and a conditional write one script.
 * <p>
 * An entry is the same entry when its cache and key are the same: everything else follows from them (the
 * keyspace's prefix is one per instance). Where it lives is worked out on first use only, because a local hit
 * needs none of it: building the three strings and comparing them in every local lookup was most of a hit's cost
 * on the availability path (issue #13).
 */
final class EntryKey {

    private final String cache;
    private final Object key;
    private final CacheKeyspace keyspace;
    /** Worked out once, on first use; an immutable record, so a thread that races to see it sees it whole. */
    private Location location;

    record Location(String redisKey, String lockKey, List<String> tags) {
    }

    EntryKey(String cache, Object key, CacheKeyspace keyspace) {
        this.cache = cache;
        this.key = key;
        this.keyspace = keyspace;
    }

    String cache() {
        return cache;
    }

    Object key() {
        return key;
    }

    String redisKey() {
        return location().redisKey();
    }

    String lockKey() {
        return location().lockKey();
    }

    List<String> tags() {
        return location().tags();
    }

    private Location location() {
        Location known = location;
        if (known == null) {
            known = keyspace.locate(cache, key);
            location = known;
        }
        return known;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EntryKey entry && cache.equals(entry.cache) && key.equals(entry.key);
    }

    @Override
    public int hashCode() {
        return 31 * cache.hashCode() + key.hashCode();
    }

    @Override
    public String toString() {
        return redisKey();
    }
}
