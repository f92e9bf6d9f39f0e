package io.holdfast.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.github.benmanes.caffeine.cache.AsyncCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.NullValue;
import org.springframework.dao.DataAccessException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * One cache in two levels: Caffeine in this instance, then Redis shared by all instances, then the loader (the
 * database). The same code serves every cache; {@link CacheKeyspace} says where an entry lives and which tags it is
 * stamped with.
 *
 * <p>Concurrent misses for one key in this instance load once: the first caller puts an incomplete future into the
 * local map and loads, later callers wait for that future. Across instances the first to miss takes a short Redis
 * lock on the key and the others wait (polling the entry) until it has written the value or given the lock up.
 *
 * <p>No stale write-back. An invalidation first gives the entry's tags new versions in Redis, then removes matching
 * local entries, including loads still under way, on every instance. A load that started before it therefore never
 * lands: Redis refuses the write because the tags it read before loading have changed ({@code cache-put.lua}), and
 * Caffeine does not put a removed future back when it completes.
 *
 * <p>When Redis is not configured or not usable ({@link RedisCacheGate}) the cache serves from local memory and the
 * database, without an error.
 */
final class TwoLevelCache extends AbstractValueAdaptingCache {

    private static final Logger log = LoggerFactory.getLogger(TwoLevelCache.class);
    private static final Object UNREADABLE = new Object();

    private final String name;
    private final JavaType type;
    private final Duration ttl;
    private final CacheKeyspace keyspace;
    private final AsyncCache<EntryKey, Object> local;
    private final LocalTagIndex tagIndex;
    private final RedisCacheLevel redis;
    private final RedisCacheGate gate;
    private final CacheSettings settings;
    private final JsonMapper json;
    private final CacheMeters meters;

    TwoLevelCache(String name, JavaType type, Duration ttl, CacheKeyspace keyspace, AsyncCache<EntryKey, Object> local,
            LocalTagIndex tagIndex, RedisCacheLevel redis, RedisCacheGate gate, CacheSettings settings, JsonMapper json,
            CacheMeters meters) {
        super(true);
        this.name = name;
        this.type = type;
        this.ttl = ttl;
        this.keyspace = keyspace;
        this.local = local;
        this.tagIndex = tagIndex;
        this.redis = redis;
        this.gate = gate;
        this.settings = settings;
        this.json = json;
        this.meters = meters;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object getNativeCache() {
        return local;
    }

    Duration ttl() {
        return ttl;
    }

    CacheMeters meters() {
        return meters;
    }

    /** Keys in the local tag index, once per tag (for tests). */
    int indexedLocally() {
        return tagIndex.size();
    }

    long localSize() {
        return local == null ? 0 : local.synchronous().estimatedSize();
    }

    @Override
    protected Object lookup(Object key) {
        if (!settings.enabled()) {
            return null;
        }
        EntryKey entry = keyspace.entry(name, key);
        if (local != null) {
            CompletableFuture<Object> present = local.getIfPresent(entry);
            if (present != null && present.isDone() && !present.isCompletedExceptionally()) {
                meters.localHits.increment();
                return present.join();
            }
            meters.localMisses.increment();
        }
        if (gate.usable()) {
            try {
                RedisCacheLevel.Read read = redis.read(entry);
                Object value = read.json() == null ? UNREADABLE : decode(read.json());
                if (value != UNREADABLE) {
                    meters.redisHits.increment();
                    return value;
                }
                meters.redisMisses.increment();
            } catch (DataAccessException failure) {
                redisFailed(failure);
            }
        }
        return null;
    }

    /**
     * The value this instance's memory holds for the key, or null when it holds none (or none yet: a load under way):
     * nothing is read from Redis or loaded. A look, not a read, so neither level's requests count it.
     */
    ValueWrapper inMemory(Object key) {
        if (!settings.enabled() || local == null) {
            return null;
        }
        CompletableFuture<Object> present = local.getIfPresent(keyspace.entry(name, key));
        if (present == null || !present.isDone() || present.isCompletedExceptionally()) {
            return null;
        }
        return toValueWrapper(present.join());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Callable<T> valueLoader) {
        if (!settings.enabled()) {
            return (T) fromStoreValue(loadFromDatabase(key, valueLoader));
        }
        EntryKey entry = keyspace.entry(name, key);
        if (local == null) {
            return (T) fromStoreValue(loadShared(entry, valueLoader));
        }
        long start = System.nanoTime();
        CompletableFuture<Object> present = local.getIfPresent(entry);
        if (present != null && present.isDone() && !present.isCompletedExceptionally()) {
            meters.localHits.increment();
            CacheMeters.since(meters.localRead, start);
            return (T) fromStoreValue(present.join());
        }
        CompletableFuture<Object> mine = new CompletableFuture<>();
        // Indexed inside the map's atomic insert (see LocalTagIndex): a drop either finds it or came before it.
        CompletableFuture<Object> shared = local.get(entry, (ignored, executor) -> {
            tagIndex.index(entry);
            return mine;
        });
        if (shared == mine) {
            meters.localMisses.increment();
            try {
                mine.complete(loadShared(entry, valueLoader));
            } catch (RuntimeException | Error failure) {
                mine.completeExceptionally(failure);
                throw failure;
            }
        } else {
            meters.localHits.increment();
        }
        try {
            Object value = shared.join();
            CacheMeters.since(meters.localRead, start);
            return (T) fromStoreValue(value);
        } catch (CompletionException failed) {
            throw failed.getCause() instanceof RuntimeException runtime ? runtime
                    : new ValueRetrievalException(key, valueLoader, failed.getCause());
        }
    }

    /** Redis, then (holding the key's load lock, or after waiting for another instance's load) the database. */
    private Object loadShared(EntryKey entry, Callable<?> loader) {
        if (gate.usable()) {
            RedisCacheLevel.Read read;
            String nonce = UUID.randomUUID().toString();
            try {
                long start = System.nanoTime();
                read = redis.read(entry);
                CacheMeters.since(meters.redisRead, start);
                Object cached = read.json() == null ? UNREADABLE : decode(read.json());
                if (cached != UNREADABLE) {
                    meters.redisHits.increment();
                    return cached;
                }
                meters.redisMisses.increment();
                if (!redis.tryLock(entry, nonce, settings.loadLease())) {
                    nonce = null;
                    read = awaitOtherLoad(entry, read);
                    cached = read.json() == null ? UNREADABLE : decode(read.json());
                    if (cached != UNREADABLE) {
                        return cached;
                    }
                }
            } catch (DataAccessException failure) {
                redisFailed(failure);
                return loadFromDatabase(entry.key(), loader);
            }
            Object value;
            try {
                value = loadFromDatabase(entry.key(), loader);
            } catch (RuntimeException failure) {
                if (nonce != null) {
                    giveUpLock(entry, nonce);
                }
                throw failure;
            }
            try {
                long start = System.nanoTime();
                redis.put(entry, read.tagVersions(), encode(value), ttl, nonce);
                CacheMeters.since(meters.redisWrite, start);
            } catch (DataAccessException failure) {
                redisFailed(failure);
            }
            return value;
        }
        meters.redisBypassed.increment();
        return loadFromDatabase(entry.key(), loader);
    }

    /**
     * Another instance is loading this key: wait for its value rather than load the same thing again, until it wrote
     * the entry, gave the lock up (its load failed or its write was refused as stale) or the lease ran out.
     */
    private RedisCacheLevel.Read awaitOtherLoad(EntryKey entry, RedisCacheLevel.Read first) {
        meters.guardWaits.increment();
        long deadline = System.nanoTime() + settings.loadLease().toNanos();
        RedisCacheLevel.Read read = first;
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return read;
            }
            read = redis.read(entry);
            if (read.json() != null || !read.locked()) {
                return read;
            }
        }
        return read;
    }

    private void giveUpLock(EntryKey entry, String nonce) {
        try {
            redis.unlock(entry, nonce);
        } catch (DataAccessException failure) {
            redisFailed(failure);
        }
    }

    private Object loadFromDatabase(Object key, Callable<?> loader) {
        long start = System.nanoTime();
        try {
            return toStoreValue(loader.call());
        } catch (Exception failure) {
            throw new ValueRetrievalException(key, loader, failure);
        } finally {
            CacheMeters.since(meters.loads, start);
        }
    }

    @Override
    public void put(Object key, Object value) {
        if (!settings.enabled()) {
            return;
        }
        EntryKey entry = keyspace.entry(name, key);
        Object stored = toStoreValue(value);
        if (local != null) {
            local.asMap().compute(entry, (any, before) -> {
                tagIndex.index(entry);
                return CompletableFuture.completedFuture(stored);
            });
        }
        if (gate.usable()) {
            try {
                redis.put(entry, redis.read(entry).tagVersions(), encode(stored), ttl, null);
            } catch (DataAccessException failure) {
                redisFailed(failure);
            }
        }
    }

    /** Removes one entry here and in Redis; other instances drop theirs within the local TTL (use invalidation). */
    @Override
    public void evict(Object key) {
        EntryKey entry = keyspace.entry(name, key);
        if (local != null) {
            removeLocal(entry);
        }
        if (gate.usable()) {
            try {
                redis.unlink(entry.redisKey());
            } catch (DataAccessException failure) {
                redisFailed(failure);
            }
        }
    }

    @Override
    public void clear() {
        clearLocal();
        if (gate.usable()) {
            try {
                redis.unlinkMatching(keyspace.prefix() + "*}:" + name + ":*");
            } catch (DataAccessException failure) {
                redisFailed(failure);
            }
        }
    }

    void clearLocal() {
        if (local != null) {
            for (EntryKey entry : java.util.List.copyOf(local.asMap().keySet())) {
                removeLocal(entry);
            }
        }
    }

    /** Removes one local entry (or a load under way) and takes it off the tag index, atomically. */
    private boolean removeLocal(EntryKey entry) {
        boolean[] removed = new boolean[1];
        local.asMap().computeIfPresent(entry, (any, present) -> {
            tagIndex.unindex(entry);
            removed[0] = true;
            return null;
        });
        return removed[0];
    }

    /** Drops local entries (and local loads under way) stamped with any of these tags. */
    int dropLocal(Collection<String> tags) {
        if (local == null) {
            return 0;
        }
        // The tags' entries from the index, not a scan of every local entry (issue #13; see LocalTagIndex).
        int dropped = 0;
        for (EntryKey entry : tagIndex.takeOut(tags)) {
            if (removeLocal(entry)) {
                dropped++;
            }
        }
        return dropped;
    }

    /** Drops local entries whose Redis key matches the predicate (admin clear by pattern). */
    int dropLocalMatching(java.util.function.Predicate<String> redisKey) {
        if (local == null) {
            return 0;
        }
        int dropped = 0;
        for (EntryKey entry : java.util.List.copyOf(local.asMap().keySet())) {
            if (redisKey.test(entry.redisKey()) && removeLocal(entry)) {
                dropped++;
            }
        }
        return dropped;
    }

    /** Expired entries are removed lazily by Caffeine; this does it now (maintenance). */
    void cleanUpLocal() {
        if (local != null) {
            local.synchronous().cleanUp();
        }
    }

    boolean holdsLocally(String redisKey) {
        return local != null && local.asMap().keySet().stream().anyMatch(entry -> entry.redisKey().equals(redisKey));
    }

    private void redisFailed(RuntimeException failure) {
        meters.redisErrors.increment();
        gate.failed(failure);
    }

    private String encode(Object stored) {
        return stored == NullValue.INSTANCE ? "null" : json.writerFor(type).writeValueAsString(stored);
    }

    private Object decode(String text) {
        if (text.equals("null")) {
            return NullValue.INSTANCE;
        }
        try {
            return json.readValue(text, type);
        } catch (JacksonException unreadable) {
            // Written by another version of Holdfast during a rolling deploy: load it afresh.
            log.debug("Cache {}: unreadable Redis entry ignored ({})", name, unreadable.getMessage());
            return UNREADABLE;
        }
    }
}
