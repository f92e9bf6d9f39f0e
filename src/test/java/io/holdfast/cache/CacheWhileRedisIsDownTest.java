package io.holdfast.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.StorageMode;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * With Redis gone the cache keeps answering from local memory and the database, without an error, and its
 * statistics say so (local hits, Redis bypassed, database loads); a booking is shown at once; concurrent misses
 * still load once. When Redis is back the cache uses it again.
 */
@ActiveProfiles("h2")
@Import(SqlProbe.Installed.class)
@PrivateRedis
@TestPropertySource(properties = {"holdfast.redis.probe-interval=200ms", "holdfast.cache.warm-on-start=false"})
class CacheWhileRedisIsDownTest extends ServerTest {

    @Autowired
    RedisServer redis;
    @Autowired
    RedisFirst router;
    @Autowired
    SqlProbe sql;

    @Test
    void servesFromLocalMemoryAndTheDatabaseWhileRedisIsDown() throws Exception {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        assertThat(CacheAcrossInstancesTest.states(api, salon, day)).containsEntry("10:00", "free");
        JsonNode before = availabilityStats();
        assertThat(before.get("redis").get("misses").asLong()).as("Redis was asked while it was up").isPositive();

        redis.kill();
        try {
            awaitMode(StorageMode.SQL);
            Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                    salon.start(day, "11:00"));
            assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
            LocalDate other = day.plusDays(1);
            sql.reset();
            List<Map<String, String>> answers = concurrently(100, salon, other);
            assertThat(answers).hasSize(100).allMatch(answers.get(0)::equals);
            assertThat(sql.bookedReads()).as("100 concurrent misses, one load").isEqualTo(1);
            for (int i = 0; i < 20; i++) {
                assertThat(CacheAcrossInstancesTest.states(api, salon, other)).containsEntry("10:00", "free");
            }
            assertThat(sql.bookedReads()).as("later reads are local hits").isEqualTo(1);

            Api.Response booking = fixtures.book(hold.json(), "down@example.com");
            assertThat(booking.status()).as(booking.toString()).isEqualTo(201);
            assertThat(CacheAcrossInstancesTest.states(api, salon, day)).containsEntry("11:00", "booked");

            JsonNode during = availabilityStats();
            assertThat(during.get("local").get("hits").asLong() - before.get("local").get("hits").asLong())
                    .as("answers from local memory").isGreaterThanOrEqualTo(20);
            assertThat(during.get("redis").get("hits").asLong()).as("no answer from Redis")
                    .isEqualTo(before.get("redis").get("hits").asLong());
            assertThat(during.get("redis").get("bypassed").asLong()).as("Redis skipped").isPositive();
            assertThat(during.get("loads").asLong()).as("database loads").isGreaterThan(before.get("loads").asLong());
            JsonNode health = api.admin("GET", "/api/v1/admin/cache/health", null).json();
            assertThat(health.get("status").asString()).isEqualTo("degraded");
            assertThat(health.get("redis").get("inUse").asBoolean()).isFalse();
        } finally {
            redis.restart();
        }
        awaitMode(StorageMode.REDIS);
        long redisReadsBefore = availabilityStats().get("redis").get("misses").asLong()
                + availabilityStats().get("redis").get("hits").asLong();
        assertThat(CacheAcrossInstancesTest.states(api, salon, day.plusDays(3))).isNotEmpty();
        JsonNode after = availabilityStats();
        assertThat(after.get("redis").get("misses").asLong() + after.get("redis").get("hits").asLong())
                .as("Redis is asked again").isGreaterThan(redisReadsBefore);
        assertThat(CacheAcrossInstancesTest.states(api, salon, day)).as("the booking made while Redis was down")
                .containsEntry("11:00", "booked");
    }

    private JsonNode availabilityStats() {
        Api.Response stats = api.admin("GET", "/api/v1/admin/cache/stats", null);
        assertThat(stats.status()).as(stats.toString()).isEqualTo(200);
        for (JsonNode cache : stats.json().get("caches")) {
            if (cache.get("name").asString().equals("availability")) {
                return cache;
            }
        }
        throw new AssertionError("no availability cache in " + stats);
    }

    private void awaitMode(StorageMode mode) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (router.mode() != mode && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(router.mode()).isEqualTo(mode);
        if (mode == StorageMode.REDIS) {
            // The cache re-opens Redis right after the failback (same event); give its health a moment to say so.
            while (!api.admin("GET", "/api/v1/admin/cache/health", null).json().get("redis").get("inUse").asBoolean()
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
        }
    }

    private List<Map<String, String>> concurrently(int clients, Fixtures.Salon salon, LocalDate day) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Map<String, String>>> futures = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return CacheAcrossInstancesTest.states(api, salon, day);
            }));
        }
        start.countDown();
        List<Map<String, String>> answers = new ArrayList<>();
        for (Future<Map<String, String>> future : futures) {
            answers.add(future.get());
        }
        pool.shutdown();
        return answers;
    }
}
