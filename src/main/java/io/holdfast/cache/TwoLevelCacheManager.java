package io.holdfast.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import tools.jackson.databind.json.JsonMapper;

/** Spring's view of Holdfast's caches: every declared {@link CachedValue}, each a {@link TwoLevelCache}. */
class TwoLevelCacheManager implements CacheManager {

    private final Map<String, TwoLevelCache> caches = new LinkedHashMap<>();

    TwoLevelCacheManager(List<CachedValue> declared, CacheKeyspace keyspace, RedisCacheLevel redis, RedisCacheGate gate,
            CacheSettings settings, MeterRegistry metrics) {
        JsonMapper json = JsonMapper.builder().build();
        for (CachedValue value : declared) {
            String name = value.cacheName();
            Duration ttl = ttlOf(name, settings);
            CacheMeters meters = new CacheMeters(name, metrics);
            AsyncCache<EntryKey, Object> local = null;
            LocalTagIndex tagIndex = new LocalTagIndex();
            if (settings.localMaxEntries() > 0) {
                Duration localTtl = settings.localTtl().compareTo(ttl) < 0 ? settings.localTtl() : ttl;
                local = Caffeine.newBuilder()
                        .maximumSize(settings.localMaxEntries())
                        .expireAfterWrite(localTtl)
                        .executor(Runnable::run)
                        // Called inside the atomic eviction of the entry, which is where LocalTagIndex wants it.
                        .evictionListener((EntryKey key, Object stored, RemovalCause cause) -> {
                            tagIndex.unindex(key);
                            meters.localEvictions.increment();
                        })
                        .buildAsync();
            }
            TwoLevelCache cache = new TwoLevelCache(name, value.javaType(), ttl, keyspace, local, tagIndex, redis, gate,
                    settings, json, meters);
            Gauge.builder("holdfast.cache.size", cache, TwoLevelCache::localSize).tag("cache", name)
                    .tag("level", "local").description("Entries held in this instance").register(metrics);
            caches.put(name, cache);
        }
    }

    static Duration ttlOf(String cache, CacheSettings settings) {
        if (cache.equals(CacheNames.AVAILABILITY) || cache.equals(CacheNames.SCHEDULE)) {
            return settings.availabilityTtl();
        }
        if (cache.equals(CacheNames.DASHBOARD)) {
            return settings.dashboardTtl();
        }
        return settings.catalogTtl();
    }

    @Override
    public Cache getCache(String name) {
        return caches.get(name);
    }

    @Override
    public Collection<String> getCacheNames() {
        return caches.keySet();
    }

    Collection<TwoLevelCache> caches() {
        return caches.values();
    }

    int dropLocal(Set<String> tags) {
        int dropped = 0;
        for (TwoLevelCache cache : caches.values()) {
            dropped += cache.dropLocal(tags);
        }
        return dropped;
    }

    long dropLocalMatching(java.util.function.Predicate<String> redisKey) {
        long dropped = 0;
        for (TwoLevelCache cache : caches.values()) {
            dropped += cache.dropLocalMatching(redisKey);
        }
        return dropped;
    }

    void clearLocal() {
        caches.values().forEach(TwoLevelCache::clearLocal);
    }
}
