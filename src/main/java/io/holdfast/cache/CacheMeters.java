package io.holdfast.cache;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The statistics of one cache, per level, as Micrometer meters ({@code holdfast.cache.*}, tag {@code cache}); the
 * admin API reads the same meters. A local hit that joined a load already under way counts as a local hit: the
 * request did not load.
 */
final class CacheMeters {

    final Counter localHits;
    final Counter localMisses;
    final Counter redisHits;
    final Counter redisMisses;
    /** Lookups that skipped Redis because it is not configured or not usable right now. */
    final Counter redisBypassed;
    final Counter redisErrors;
    final Counter localEvictions;
    /** Misses that waited for another instance's load instead of loading themselves. */
    final Counter guardWaits;
    final Timer localRead;
    final Timer redisRead;
    final Timer redisWrite;
    /** Loads from the database: count and time. */
    final Timer loads;

    CacheMeters(String cache, MeterRegistry registry) {
        localHits = requests(registry, cache, "local", "hit");
        localMisses = requests(registry, cache, "local", "miss");
        redisHits = requests(registry, cache, "redis", "hit");
        redisMisses = requests(registry, cache, "redis", "miss");
        redisBypassed = requests(registry, cache, "redis", "bypass");
        redisErrors = Counter.builder("holdfast.cache.redis.errors").tag("cache", cache)
                .description("Redis failures met by the cache (it then serves from local and the database)")
                .register(registry);
        localEvictions = Counter.builder("holdfast.cache.evictions").tag("cache", cache).tag("level", "local")
                .description("Local entries evicted for size or expiry").register(registry);
        guardWaits = Counter.builder("holdfast.cache.load.waits").tag("cache", cache)
                .description("Misses that waited for another instance's load of the same key").register(registry);
        localRead = operation(registry, cache, "local.read");
        redisRead = operation(registry, cache, "redis.read");
        redisWrite = operation(registry, cache, "redis.write");
        loads = operation(registry, cache, "database.load");
    }

    static Timer operation(MeterRegistry registry, String cache, String operation) {
        return Timer.builder("holdfast.cache.operation").tag("cache", cache).tag("operation", operation)
                .publishPercentiles(0.5, 0.95, 0.99)
                .description("Latency of one cache operation").register(registry);
    }

    private static Counter requests(MeterRegistry registry, String cache, String level, String result) {
        return Counter.builder("holdfast.cache.requests").tag("cache", cache).tag("level", level).tag("result", result)
                .description("Cache lookups per level and outcome").register(registry);
    }

    static void since(Timer timer, long startNanos) {
        timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
