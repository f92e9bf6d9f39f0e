package io.holdfast.cache;

import java.util.List;

/** A feature's part of cache warming: the reads that fill its cache. Each read goes through the cache. */
public interface CacheWarmer {

    String cacheName();

    /** The reads that warm this cache for the next {@code days} days (today included). */
    List<Runnable> warmingReads(int days);
}
