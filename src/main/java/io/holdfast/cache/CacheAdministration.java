package io.holdfast.cache;

import static io.holdfast.redis.RedisNodes.infoNumber;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.springframework.dao.DataAccessException;

/** What the cache admin API shows and does (seed 004's health, stats, performance, maintenance, clear, debug). */
public class CacheAdministration {

    /** Seed 004: "target > 80% hit rate". */
    static final double TARGET_HIT_RATE = 0.8;
    static final double MEMORY_ALERT = 0.8;
    private static final long MIN_LOOKUPS = 100;
    private static final long KEY_COUNT_LIMIT = 100_000;
    private static final int PREVIEW = 200;

    private final TwoLevelCacheManager caches;
    private final RedisCacheLevel redis;
    private final RedisCacheGate gate;
    private final CacheKeyspace keyspace;
    private final CacheInvalidation invalidation;
    private final CacheWarming warming;
    private final CacheSettings settings;
    private final MeterRegistry metrics;

    CacheAdministration(TwoLevelCacheManager caches, RedisCacheLevel redis, RedisCacheGate gate,
            CacheKeyspace keyspace, CacheInvalidation invalidation, CacheWarming warming, CacheSettings settings,
            MeterRegistry metrics) {
        this.caches = caches;
        this.redis = redis;
        this.gate = gate;
        this.keyspace = keyspace;
        this.invalidation = invalidation;
        this.warming = warming;
        this.settings = settings;
        this.metrics = metrics;
    }

    public record Level(long hits, long misses, Double hitRate) {
    }

    public record LocalLevel(long hits, long misses, Double hitRate, long size, long evictions, long ttlSeconds,
            int maxEntries) {
    }

    public record RedisLevel(long hits, long misses, Double hitRate, long bypassed, long errors,
            long waitsForOtherInstance, Long keys, long ttlSeconds) {
    }

    public record CacheStats(String name, long lookups, long loads, Double hitRate, double loadTimeTotalMillis,
            double loadTimeMeanMillis, LocalLevel local, RedisLevel redis) {
    }

    public record RedisServer(boolean configured, boolean inUse, Long usedMemoryBytes, Long maxMemoryBytes,
            String maxMemoryPolicy, Long evictedKeys, Long expiredKeys) {
    }

    public record Stats(long lookups, long loads, Double hitRate, String keyPrefix, RedisServer redis,
            List<CacheStats> caches) {
    }

    public record Health(String status, Double hitRate, List<String> recommendations, RedisServer redis) {
    }

    public record Operation(String cache, String operation, long count, double meanMillis, double p50Millis,
            double p95Millis, double p99Millis, double maxMillis) {
    }

    public record Performance(List<Operation> operations) {
    }

    public record Maintenance(long localEntriesBefore, long localEntriesAfter, CacheWarming.Report warming,
            long tookMillis) {
    }

    public record Cleared(String pattern, String matched, long redisKeysRemoved, long localEntriesRemoved) {
    }

    public record KeyDebug(String key, boolean inRedis, String type, Long ttlMillis, Long sizeBytes, String preview,
            boolean inLocalMemory) {
    }

    public Stats stats(boolean countRedisKeys) {
        RedisServer server = redisServer();
        List<CacheStats> list = new ArrayList<>();
        long lookups = 0;
        long loads = 0;
        for (TwoLevelCache cache : caches.caches()) {
            CacheStats stats = stats(cache, countRedisKeys && gate.usable());
            lookups += stats.lookups();
            loads += stats.loads();
            list.add(stats);
        }
        return new Stats(lookups, loads, rate(lookups - Math.min(loads, lookups), lookups), keyspace.prefix(), server,
                list);
    }

    private CacheStats stats(TwoLevelCache cache, boolean countRedisKeys) {
        CacheMeters m = cache.meters();
        long localHits = (long) m.localHits.count();
        long localMisses = (long) m.localMisses.count();
        long redisHits = (long) m.redisHits.count();
        long redisMisses = (long) m.redisMisses.count();
        long bypassed = (long) m.redisBypassed.count();
        long loads = m.loads.count();
        long lookups = settings.localMaxEntries() > 0 ? localHits + localMisses : redisHits + redisMisses + bypassed;
        Long keys = null;
        if (countRedisKeys) {
            try {
                keys = redis.count(keyspace.prefix() + "*}:" + cache.getName() + ":*", KEY_COUNT_LIMIT);
            } catch (DataAccessException unreachable) {
                keys = null;
            }
        }
        long localTtl = Math.min(settings.localTtl().toSeconds(), cache.ttl().toSeconds());
        return new CacheStats(cache.getName(), lookups, loads, rate(lookups - Math.min(loads, lookups), lookups),
                m.loads.totalTime(TimeUnit.MILLISECONDS), m.loads.mean(TimeUnit.MILLISECONDS),
                new LocalLevel(localHits, localMisses, rate(localHits, localHits + localMisses), cache.localSize(),
                        (long) m.localEvictions.count(), localTtl, settings.localMaxEntries()),
                new RedisLevel(redisHits, redisMisses, rate(redisHits, redisHits + redisMisses), bypassed,
                        (long) m.redisErrors.count(), (long) m.guardWaits.count(), keys, cache.ttl().toSeconds()));
    }

    public Health health() {
        Stats stats = stats(false);
        RedisServer server = stats.redis();
        List<String> advice = new ArrayList<>();
        if (server.configured() && !server.inUse()) {
            advice.add("Redis is unreachable: answers come from local memory and the database; local entries live "
                    + settings.localTtl().toSeconds() + " s, so other instances' changes may show that late");
        }
        if (stats.lookups() >= MIN_LOOKUPS && stats.hitRate() != null && stats.hitRate() < TARGET_HIT_RATE) {
            advice.add(String.format(java.util.Locale.ROOT,
                    "Hit rate %.0f%% is below the %.0f%% target: check the TTLs (holdfast.cache.*-ttl), whether warming "
                            + "covers the days people look at (holdfast.cache.warm-days) and how often changes "
                            + "invalidate the same entries", 100 * stats.hitRate(), 100 * TARGET_HIT_RATE));
        }
        for (CacheStats cache : stats.caches()) {
            LocalLevel local = cache.local();
            if (local.misses() >= MIN_LOOKUPS && local.evictions() > local.misses() / 10
                    && local.size() >= local.maxEntries() * 9L / 10) {
                advice.add("Cache " + cache.name() + " evicts many local entries for size (" + local.evictions()
                        + "): raise holdfast.cache.local-max-entries");
            }
        }
        if (server.inUse() && server.maxMemoryBytes() != null) {
            if (server.maxMemoryBytes() == 0) {
                advice.add("Redis has no maxmemory: set one with headroom and alert at 80 % of it");
            } else if (server.usedMemoryBytes() != null
                    && server.usedMemoryBytes() >= MEMORY_ALERT * server.maxMemoryBytes()) {
                advice.add(String.format(java.util.Locale.ROOT,
                        "Redis memory is at %.0f%% of maxmemory: raise maxmemory or shorten the cache TTLs",
                        100.0 * server.usedMemoryBytes() / server.maxMemoryBytes()));
            }
        }
        String status = server.configured() && !server.inUse() ? "degraded" : advice.isEmpty() ? "ok" : "warning";
        return new Health(status, stats.hitRate(), advice, server);
    }

    public Performance performance() {
        List<Operation> operations = new ArrayList<>();
        for (Timer timer : metrics.find("holdfast.cache.operation").timers()) {
            Map<Double, Double> percentiles = new LinkedHashMap<>();
            for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
                percentiles.put(value.percentile(), value.value(TimeUnit.MILLISECONDS));
            }
            operations.add(new Operation(timer.getId().getTag("cache"), timer.getId().getTag("operation"),
                    timer.count(), round(timer.mean(TimeUnit.MILLISECONDS)), round(percentiles.getOrDefault(0.5, 0.0)),
                    round(percentiles.getOrDefault(0.95, 0.0)), round(percentiles.getOrDefault(0.99, 0.0)),
                    round(timer.max(TimeUnit.MILLISECONDS))));
        }
        operations.sort(java.util.Comparator.comparing(Operation::cache).thenComparing(Operation::operation));
        return new Performance(operations);
    }

    /** Removes expired local entries now, then warms every cache. */
    public Maintenance maintenance() {
        long start = System.nanoTime();
        long before = caches.caches().stream().mapToLong(TwoLevelCache::localSize).sum();
        caches.caches().forEach(TwoLevelCache::cleanUpLocal);
        long after = caches.caches().stream().mapToLong(TwoLevelCache::localSize).sum();
        CacheWarming.Report report = warming.warm("maintenance");
        return new Maintenance(before, after, report, (System.nanoTime() - start) / 1_000_000);
    }

    /** {@code pattern} is a Redis glob relative to the cache prefix ({@code hfc:<namespace>:}). */
    public Cleared clear(String pattern) {
        String glob = keyspace.prefix() + pattern;
        long[] removed = invalidation.clearMatching(glob);
        return new Cleared(pattern, glob, removed[0], removed[1]);
    }

    /** {@code key} may be given with or without the cache prefix; keys outside it are not shown. */
    public KeyDebug debug(String key) {
        String full = key.startsWith(keyspace.prefix()) ? key : keyspace.prefix() + key;
        boolean local = caches.caches().stream().anyMatch(cache -> cache.holdsLocally(full));
        if (!gate.usable()) {
            return new KeyDebug(full, false, null, null, null, null, local);
        }
        RedisCacheLevel.KeyInfo info = redis.inspect(full);
        boolean exists = !info.type().equals("none");
        String preview = info.value() == null ? null
                : info.value().length() <= PREVIEW ? info.value() : info.value().substring(0, PREVIEW) + "…";
        return new KeyDebug(full, exists, exists ? info.type() : null, exists ? info.ttlMillis() : null,
                info.sizeBytes(), preview, local);
    }

    private RedisServer redisServer() {
        if (!gate.configured()) {
            return new RedisServer(false, false, null, null, null, null, null);
        }
        if (!gate.usable()) {
            return new RedisServer(true, false, null, null, null, null, null);
        }
        try {
            Properties info = redis.info();
            return new RedisServer(true, true, infoNumber(info, "used_memory"), infoNumber(info, "maxmemory"),
                    info.getProperty("maxmemory_policy"), infoNumber(info, "evicted_keys"),
                    infoNumber(info, "expired_keys"));
        } catch (DataAccessException unreachable) {
            gate.failed(unreachable);
            return new RedisServer(true, false, null, null, null, null, null);
        }
    }

    private static Double rate(long hits, long total) {
        return total == 0 ? null : Math.round(10_000.0 * hits / total) / 10_000.0;
    }

    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
