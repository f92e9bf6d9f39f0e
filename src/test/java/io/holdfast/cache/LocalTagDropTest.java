package io.holdfast.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.holdfast.redis.RedisFirst;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The local level's drop by tag (issue #13: through a tag index, not a scan of every entry), on the local level
 * alone (no Redis: the gate is closed, as on a server without one). Whatever the index does, a drop must leave no
 * entry of its tags that was loaded before it, however loads race it, must leave the other tags' entries alone, and
 * the index must not keep what the map evicted.
 */
class LocalTagDropTest {

    private static final String CACHE = CacheNames.AVAILABILITY;
    private final CacheKeyspace keyspace = new CacheKeyspace("test");

    private TwoLevelCache cache(int maxEntries) throws Exception {
        var withoutRedis = RedisFirst.class.getDeclaredMethod("withoutRedis");
        withoutRedis.setAccessible(true);
        RedisCacheGate gate = new RedisCacheGate((RedisFirst) withoutRedis.invoke(null));
        CacheSettings settings = new CacheSettings(true, Duration.ofMinutes(5), maxEntries, Duration.ofMinutes(5),
                Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofMillis(250), Duration.ofSeconds(3), 7,
                Duration.ofMinutes(4), false);
        var manager = new TwoLevelCacheManager(List.of(CachedValue.of(CACHE, Long.class)), keyspace,
                new RedisCacheLevel(new StringRedisTemplate()), gate, settings, new SimpleMeterRegistry());
        return (TwoLevelCache) manager.getCache(CACHE);
    }

    @Test
    void aDropLeavesNothingLoadedBeforeItWhileLoadsRaceIt() throws Exception {
        TwoLevelCache cache = cache(10_000);
        LocalDate day = LocalDate.of(2030, 1, 7);
        StaffDayKey key = new StaffDayKey(1, day);
        // The "database": a generation raised before every drop, as a booking commits before its invalidation.
        AtomicLong generation = new AtomicLong();
        // A load reads the database first and takes a moment after it (decoding, writing to Redis): a drop can come
        // in that moment, and must still remove the entry.
        java.util.concurrent.Callable<Long> database = () -> {
            long read = generation.get();
            long until = System.nanoTime() + 20_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return read;
        };
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService readers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            running.add(readers.submit(() -> {
                while (!stop.get()) {
                    cache.get(key, database);
                    cache.get(new StaffDayKey(1, day.plusDays(1)), database);
                }
            }));
        }
        try {
            for (int round = 0; round < 20_000; round++) {
                long now = generation.incrementAndGet();
                cache.dropLocal(Set.of(keyspace.dayTag(1, day)));
                assertThat(cache.get(key, database)).as("round %d", round).isGreaterThanOrEqualTo(now);
                // Dropped once more with nothing changed, so the readers load it again, and the next round's change
                // comes while one of those loads is under way (read before the change, not yet done).
                cache.dropLocal(Set.of(keyspace.dayTag(1, day)));
            }
        } finally {
            stop.set(true);
            for (Future<?> reader : running) {
                reader.get();
            }
            readers.shutdown();
        }
    }

    @Test
    void aDropTakesItsTagsEntriesAndLeavesTheOthers() throws Exception {
        TwoLevelCache cache = cache(10_000);
        LocalDate day = LocalDate.of(2030, 1, 7);
        for (long staff = 1; staff <= 3; staff++) {
            for (int d = 0; d < 5; d++) {
                long value = staff * 100 + d;
                cache.get(new StaffDayKey(staff, day.plusDays(d)), () -> value);
            }
        }
        assertThat(cache.localSize()).isEqualTo(15);
        assertThat(cache.dropLocal(Set.of(keyspace.dayTag(2, day.plusDays(3))))).isEqualTo(1);
        assertThat(cache.dropLocal(Set.of(keyspace.staffTag(3)))).isEqualTo(5);
        // An entry dropped through one tag is off its other tags too: dropping one of them drops only the rest.
        assertThat(cache.dropLocal(Set.of(keyspace.staffTag(2)))).isEqualTo(4);
        assertThat(cache.localSize()).isEqualTo(5);
        assertThat(cache.get(new StaffDayKey(1, day), () -> -1L)).isEqualTo(100L);
        assertThat(cache.get(new StaffDayKey(2, day), () -> -1L)).isEqualTo(-1L);
        cache.evict(new StaffDayKey(1, day));
        cache.clearLocal();
        assertThat(cache.indexedLocally()).isZero();
    }

    @Test
    void theIndexKeepsNothingTheMapEvicted() throws Exception {
        TwoLevelCache cache = cache(50);
        LocalDate day = LocalDate.of(2030, 1, 7);
        for (int d = 0; d < 5_000; d++) {
            long value = d;
            cache.get(new StaffDayKey(d % 7, day.plusDays(d)), () -> value);
        }
        cache.cleanUpLocal();
        // Two tags an entry (its staff member's and its day's), each listing it once.
        assertThat(cache.indexedLocally()).isLessThanOrEqualTo(2 * (int) cache.localSize() + 2 * 50);
        assertThat(cache.localSize()).isLessThanOrEqualTo(50);
    }
}
