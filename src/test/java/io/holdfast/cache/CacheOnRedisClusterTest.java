package io.holdfast.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Instance;
import io.holdfast.support.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The cache on a three-node Redis Cluster: reads (one MGET per entry), conditional writes and invalidations (scripts)
 * stay in one hash slot each, and the admin clear scans every master.
 */
class CacheOnRedisClusterTest {

    private static RedisCluster cluster;
    private static Instance server;
    private static Api api;
    private static Fixtures fixtures;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
        server = cluster.startServer();
        api = server.api();
        fixtures = new Fixtures(api);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void cachesInvalidatesAndClearsAcrossTheCluster() {
        List<Fixtures.Salon> salons = List.of(fixtures.salon(), fixtures.salon(), fixtures.salon());
        for (Fixtures.Salon salon : salons) {
            LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
            assertThat(CacheAcrossInstancesTest.states(api, salon, day)).containsEntry("10:00", "free");
            Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                    salon.start(day, "10:00"));
            assertThat(fixtures.book(hold.json(), "cluster@example.com").status()).isEqualTo(201);
            assertThat(CacheAcrossInstancesTest.states(api, salon, day)).containsEntry("10:00", "booked");
        }
        JsonNode stats = api.admin("GET", "/api/v1/admin/cache/stats", null).json();
        assertThat(stats.get("redis").get("inUse").asBoolean()).isTrue();
        JsonNode availability = null;
        for (JsonNode cache : stats.get("caches")) {
            if (cache.get("name").asString().equals("availability")) {
                availability = cache;
            }
        }
        assertThat(availability.get("redis").get("errors").asLong()).isZero();
        assertThat(availability.get("redis").get("keys").asLong()).isGreaterThanOrEqualTo(3);

        JsonNode cleared = api.admin("DELETE", "/api/v1/admin/cache?pattern=*", null).json();
        assertThat(cleared.get("redisKeysRemoved").asLong()).isGreaterThanOrEqualTo(3);
        long remaining = cluster.scan(stats.get("keyPrefix").asString() + "*").stream()
                .filter(key -> !key.contains("}:tag")).count();
        assertThat(remaining).as("cache keys left on the masters").isZero();
    }
}
