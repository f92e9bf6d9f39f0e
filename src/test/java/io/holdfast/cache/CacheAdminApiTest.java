package io.holdfast.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import io.holdfast.support.Api;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** The cache admin API of API.md: admin token, answer shapes, SCAN-based clear within the cache prefix, debug. */
@ActiveProfiles("h2")
@PrivateRedis
@TestPropertySource(properties = "holdfast.cache.warm-on-start=false")
class CacheAdminApiTest extends ServerTest {

    @Autowired
    RedisServer redis;

    private static final List<String[]> ENDPOINTS = List.of(
            new String[] {"GET", "/api/v1/admin/cache/health"},
            new String[] {"GET", "/api/v1/admin/cache/stats"},
            new String[] {"GET", "/api/v1/admin/cache/performance"},
            new String[] {"POST", "/api/v1/admin/cache/maintenance"},
            new String[] {"DELETE", "/api/v1/admin/cache?pattern=*"},
            new String[] {"GET", "/api/v1/admin/cache/debug/key?key=x"},
            new String[] {"GET", "/api/v1/admin/dashboard/today"});

    @Test
    void everyCacheEndpointNeedsTheAdminToken() {
        for (String[] endpoint : ENDPOINTS) {
            Api.Response without = api.send(endpoint[0], endpoint[1], null);
            Api.Response wrong = api.send(endpoint[0], endpoint[1], null, "Authorization", "Bearer wrong-token");
            assertThat(without.status()).as("%s %s without token", endpoint[0], endpoint[1]).isEqualTo(401);
            assertThat(without.code()).isEqualTo("unauthorized");
            assertThat(wrong.status()).as("%s %s with a wrong token", endpoint[0], endpoint[1]).isEqualTo(403);
            assertThat(wrong.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void statsHealthAndPerformanceDescribeEveryCacheAndLevel() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        for (int i = 0; i < 3; i++) {
            CacheAcrossInstancesTest.states(api, salon, day);
        }

        JsonNode stats = admin("GET", "/api/v1/admin/cache/stats");
        assertThat(stats.get("keyPrefix").asString()).startsWith("hfc:");
        assertThat(stats.get("redis").get("inUse").asBoolean()).isTrue();
        JsonNode availability = cache(stats, "availability");
        assertThat(availability.get("lookups").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(availability.get("loads").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(availability.get("hitRate").asDouble()).isBetween(0.0, 1.0);
        assertThat(availability.get("local").get("hits").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(availability.get("local").get("size").asLong()).isPositive();
        assertThat(availability.get("local").has("evictions")).isTrue();
        assertThat(availability.get("redis").get("misses").asLong()).isPositive();
        assertThat(availability.get("redis").get("keys").asLong()).isPositive();
        assertThat(availability.get("redis").get("ttlSeconds").asLong()).isEqualTo(300);
        assertThat(cache(stats, "dashboard").get("redis").get("ttlSeconds").asLong()).isEqualTo(300);
        assertThat(cache(stats, "catalog.staffMember")).isNotNull();

        JsonNode health = admin("GET", "/api/v1/admin/cache/health");
        assertThat(health.get("status").asString()).isIn("ok", "warning");
        assertThat(health.get("hitRate").isNumber()).isTrue();
        assertThat(health.get("recommendations").isArray()).isTrue();

        JsonNode performance = admin("GET", "/api/v1/admin/cache/performance");
        JsonNode load = null;
        for (JsonNode operation : performance.get("operations")) {
            if (operation.get("cache").asString().equals("availability")
                    && operation.get("operation").asString().equals("database.load")) {
                load = operation;
            }
        }
        assertThat(load).as("database.load of availability in %s", performance).isNotNull();
        assertThat(load.get("count").asLong()).isPositive();
        assertThat(load.get("p50Millis").asDouble()).isPositive();
        assertThat(load.get("p99Millis").asDouble()).isGreaterThanOrEqualTo(load.get("p50Millis").asDouble());
    }

    @Test
    void healthRecommendsActionWhenRedisMemoryIsNearlyFull() {
        long used = Long.parseLong(redis.cli("MEMORY", "STATS").lines().dropWhile(line -> !line.equals("total.allocated"))
                .skip(1).findFirst().orElse("2000000"));
        redis.cli("CONFIG", "SET", "maxmemory", String.valueOf(used + used / 20));
        try {
            JsonNode health = admin("GET", "/api/v1/admin/cache/health");
            assertThat(health.get("status").asString()).isEqualTo("warning");
            assertThat(health.get("recommendations").toString()).contains("Redis memory is at");
        } finally {
            redis.cli("CONFIG", "SET", "maxmemory", "0");
        }
        assertThat(admin("GET", "/api/v1/admin/cache/health").get("recommendations").toString())
                .contains("Redis has no maxmemory");
    }

    @Test
    void clearRemovesOnlyMatchingKeysInsideTheCachePrefix() {
        String prefix = admin("GET", "/api/v1/admin/cache/stats").get("keyPrefix").asString();
        for (int i = 0; i < 1200; i++) {
            redis.cli("SET", prefix + "{probe}:doomed:" + i, "x", "EX", "600");
        }
        redis.cli("SET", prefix + "{probe}:kept:1", "x", "EX", "600");
        redis.cli("SET", "hf:{probe}:doomed:1", "x", "EX", "600");
        redis.cli("SET", "elsewhere:{probe}:doomed:1", "x", "EX", "600");
        redis.cli("SET", prefix + "{probe}:doomed:tag", "v", "EX", "600");

        JsonNode cleared = admin("DELETE", "/api/v1/admin/cache?pattern=%7Bprobe%7D:doomed:*");

        assertThat(cleared.get("matched").asString()).isEqualTo(prefix + "{probe}:doomed:*");
        assertThat(cleared.get("redisKeysRemoved").asLong()).isEqualTo(1201);
        assertThat(redis.cli("EXISTS", prefix + "{probe}:doomed:7")).isEqualTo("0");
        assertThat(redis.cli("EXISTS", prefix + "{probe}:kept:1")).isEqualTo("1");
        assertThat(redis.cli("EXISTS", "hf:{probe}:doomed:1")).as("temporary store keys").isEqualTo("1");
        assertThat(redis.cli("EXISTS", "elsewhere:{probe}:doomed:1")).as("keys outside Holdfast").isEqualTo("1");
    }

    @Test
    void clearDropsCachedAvailabilityEverywhere() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        CacheAcrossInstancesTest.states(api, salon, day);
        String key = "{s:" + salon.staffId() + "}:availability:" + day;
        assertThat(admin("GET", "/api/v1/admin/cache/debug/key?key=" + encode(key)).get("inRedis").asBoolean())
                .isTrue();

        JsonNode cleared = admin("DELETE", "/api/v1/admin/cache?pattern=" + encode("{s:" + salon.staffId() + "}:*"));

        assertThat(cleared.get("redisKeysRemoved").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(cleared.get("localEntriesRemoved").asLong()).isGreaterThanOrEqualTo(1);
        Api.Response gone = api.admin("GET", "/api/v1/admin/cache/debug/key?key=" + encode(key), null);
        assertThat(gone.status()).as(gone.toString()).isEqualTo(404);
        assertThat(gone.code()).isEqualTo("not_found");
    }

    @Test
    void debugShowsTypeTtlSizeAndAPreview() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        CacheAcrossInstancesTest.states(api, salon, day);
        String key = "{s:" + salon.staffId() + "}:availability:" + day;

        JsonNode debug = admin("GET", "/api/v1/admin/cache/debug/key?key=" + encode(key));

        assertThat(debug.get("key").asString()).endsWith(key).startsWith("hfc:");
        assertThat(debug.get("inRedis").asBoolean()).isTrue();
        assertThat(debug.get("type").asString()).isEqualTo("string");
        assertThat(debug.get("ttlMillis").asLong()).isBetween(1L, 300_000L);
        assertThat(debug.get("sizeBytes").asLong()).isPositive();
        assertThat(debug.get("preview").asString()).contains("\"schedule\"");
        assertThat(debug.get("inLocalMemory").asBoolean()).isTrue();
    }

    @Test
    void maintenanceCleansUpAndWarmsWithAReport() {
        var salon = fixtures.salon();
        JsonNode report = admin("POST", "/api/v1/admin/cache/maintenance");
        assertThat(report.has("localEntriesBefore")).isTrue();
        JsonNode warming = report.get("warming");
        assertThat(warming.get("trigger").asString()).isEqualTo("maintenance");
        JsonNode availability = null;
        for (JsonNode cache : warming.get("caches")) {
            if (cache.get("cache").asString().equals("availability")) {
                availability = cache;
            }
        }
        assertThat(availability).isNotNull();
        assertThat(availability.get("reads").asLong()).as("7 days of every staff member, ours included")
                .isGreaterThanOrEqualTo(7);
        String key = "{s:" + salon.staffId() + "}:availability:" + LocalDate.now(salon.zone()).plusDays(6);
        assertThat(admin("GET", "/api/v1/admin/cache/debug/key?key=" + encode(key)).get("inRedis").asBoolean())
                .as("warmed into Redis").isTrue();
    }

    @Test
    void badParametersAreRefusedWith400() {
        for (String path : List.of("/api/v1/admin/cache?pattern=", "/api/v1/admin/cache", "/api/v1/admin/cache?pattern=a%20b",
                "/api/v1/admin/cache?pattern=" + "x".repeat(201), "/api/v1/admin/cache/debug/key",
                "/api/v1/admin/cache/debug/key?key=", "/api/v1/admin/cache/debug/key?key=%0A")) {
            String method = path.contains("debug") ? "GET" : "DELETE";
            Api.Response refused = api.admin(method, path, null);
            assertThat(refused.status()).as("%s %s: %s", method, path, refused).isEqualTo(400);
            assertThat(refused.code()).isEqualTo("validation_failed");
        }
    }

    private JsonNode admin(String method, String path) {
        Api.Response response = api.admin(method, path, null);
        assertThat(response.status()).as("%s %s: %s", method, path, response).isEqualTo(200);
        return response.json();
    }

    private static JsonNode cache(JsonNode stats, String name) {
        for (JsonNode cache : stats.get("caches")) {
            if (cache.get("name").asString().equals(name)) {
                return cache;
            }
        }
        return null;
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
