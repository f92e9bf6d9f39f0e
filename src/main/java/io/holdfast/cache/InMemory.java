package io.holdfast.cache;

import org.springframework.cache.Cache;

/** A look at what one instance's memory holds of a cache, for callers with a cheaper way than a load when it is not there. */
public final class InMemory {

    private InMemory() {
    }

    /**
     * The value this instance holds in memory for the key, or null when it holds none: nothing is read from Redis or
     * loaded. A hold whose staff member's day is not in memory checks its start against the day's schedule instead
     * (issue #13), where a read would have loaded the day or read it from Redis.
     */
    public static Cache.ValueWrapper of(Cache cache, Object key) {
        return cache instanceof TwoLevelCache twoLevel ? twoLevel.inMemory(key) : null;
    }
}
