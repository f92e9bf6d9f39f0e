package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/admin/redis-status} against a private redis-server started the way the seeds recommend
 * (allkeys-lru) and logging every command in its slow log: the figures match what redis-cli reads, the unsafe
 * settings are named, and a dead Redis is an answer (200, "disconnected") with the failover counted.
 */
@ActiveProfiles("h2")
@PrivateRedis(args = {"--maxmemory-policy", "allkeys-lru", "--slowlog-log-slower-than", "0"})
@TestPropertySource(properties = "holdfast.redis.probe-interval=200ms")
class RedisStatusTest extends ServerTest {

    @Autowired
    RedisServer redis;

    @Test
    void reportsTheServerAsRedisCliSeesIt() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        assertThat(fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "10:00"))
                .status()).isEqualTo(201);

        JsonNode status = status();
        JsonNode server = status.get("server");

        assertThat(status.get("redis").asString()).as(status.toString()).isEqualTo("connected");
        assertThat(status.get("mode").asString()).isEqualTo("standalone");
        assertThat(status.get("storageMode").asString()).isEqualTo("redis");
        assertThat(status.has("nodes")).as("nodes are listed for a cluster only").isFalse();
        assertThat(server.get("address").asString()).isEqualTo("127.0.0.1:" + redis.port());
        assertThat(server.get("version").asString()).isEqualTo(infoField("server", "redis_version"));
        assertThat(server.get("role").asString()).isEqualTo("master");
        JsonNode memory = server.get("memory");
        assertThat(memory.get("usedBytes").asLong()).isPositive();
        assertThat(memory.get("peakBytes").asLong()).isGreaterThanOrEqualTo(memory.get("usedBytes").asLong() / 2);
        assertThat(memory.get("usedHuman").asString()).isNotBlank();
        assertThat(memory.get("maxmemoryBytes").asLong()).isZero();
        assertThat(memory.get("maxmemoryPolicy").asString()).isEqualTo("allkeys-lru");
        assertThat(memory.get("fragmentationRatio").asDouble()).isPositive();
        assertThat(server.get("connectedClients").asLong()).isPositive();
        assertThat(server.get("opsPerSecond").asLong()).isNotNegative();
        long hits = server.get("keyspaceHits").asLong();
        long misses = server.get("keyspaceMisses").asLong();
        assertThat(hits + misses).isPositive();
        assertThat(server.get("hitRate").asDouble()).isBetween(0.0, 1.0)
                .isCloseTo((double) hits / (hits + misses), org.assertj.core.data.Offset.offset(0.001));
        assertThat(server.get("keys").asLong()).isPositive();
        JsonNode persistence = server.get("persistence");
        assertThat(persistence.get("aofEnabled").asBoolean()).isFalse();
        assertThat(persistence.get("save").asString()).isEmpty();
        assertThat(persistence.get("rdbLastSaveStatus").asString()).isEqualTo("ok");
        assertThat(persistence.get("rdbChangesSinceLastSave").asLong()).isPositive();
        assertThat(server.get("notifyKeyspaceEvents").asString())
                .as("Holdfast turned expiry events on at start").contains("E").contains("x")
                .isEqualTo(redis.cli("CONFIG", "GET", "notify-keyspace-events").lines().toList().get(1));

        JsonNode slowlog = server.get("slowlog");
        assertThat(slowlog).hasSize(10);
        long previousId = Long.MAX_VALUE;
        for (JsonNode entry : slowlog) {
            assertThat(entry.get("id").asLong()).isLessThan(previousId);
            previousId = entry.get("id").asLong();
            assertThat(entry.get("time").asString()).endsWith("+00:00");
            assertThat(entry.get("durationMicros").asLong()).isNotNegative();
            assertThat(entry.get("command")).isNotEmpty();
            for (JsonNode arg : entry.get("command")) {
                assertThat(arg.asString().length()).isLessThanOrEqualTo(41);
            }
        }

        assertThat(texts(status.get("warnings"))).anySatisfy(warning -> assertThat(warning)
                .startsWith("maxmemory-policy is allkeys-lru").contains("unsafe for holds"));
        assertThat(texts(status.get("warnings"))).anySatisfy(warning -> assertThat(warning)
                .startsWith("persistence is off"));
        assertThat(texts(status.get("warnings"))).noneMatch(warning -> warning.startsWith("notify-keyspace-events"));
        assertThat(status.get("failoverCount").isNumber()).isTrue();
    }

    @Test
    void answersDisconnectedWhileRedisIsDeadAndCountsTheFailoverAndTheFailback() {
        awaitStatus(status -> status.get("storageMode").asString().equals("redis"));
        long before = status().get("failoverCount").asLong();

        redis.kill();
        try {
            JsonNode dead = awaitStatus(status -> status.get("redis").asString().equals("disconnected")
                    && status.get("storageMode").asString().equals("sql"));
            assertThat(dead.get("failoverCount").asLong()).isEqualTo(before + 1);
            assertThat(dead.get("failoversLastHour").asInt()).isPositive();
            assertThat(dead.get("lastFailover").asString()).endsWith("+00:00");
            assertThat(dead.has("server")).isFalse();
            assertThat(dead.get("alerts").get(0).get("level").asString()).isEqualTo("critical");
            assertThat(dead.get("alerts").get(0).get("message").asString()).startsWith("Redis is unreachable");
        } finally {
            redis.restart();
        }

        JsonNode back = awaitStatus(status -> status.get("redis").asString().equals("connected")
                && status.get("storageMode").asString().equals("redis"));
        assertThat(back.get("failoverCount").asLong()).isEqualTo(before + 1);
        assertThat(back.get("lastFailback").asString()).endsWith("+00:00");
        // The restarted server forgot the flags set at start; the failback set them again.
        assertThat(redis.cli("CONFIG", "GET", "notify-keyspace-events")).contains("E").contains("x");
        assertThat(texts(back.get("warnings"))).noneMatch(warning -> warning.startsWith("notify-keyspace-events"));
    }

    @Test
    void needsTheAdminToken() {
        Api.Response anonymous = api.get("/api/v1/admin/redis-status");
        Api.Response wrong = api.get("/api/v1/admin/redis-status", "Authorization", "Bearer wrong-token");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.code()).isEqualTo("unauthorized");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.code()).isEqualTo("forbidden");
    }

    private JsonNode status() {
        Api.Response response = api.admin("GET", "/api/v1/admin/redis-status", null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private JsonNode awaitStatus(Predicate<JsonNode> condition) {
        long deadline = System.currentTimeMillis() + 20_000;
        JsonNode status = status();
        while (!condition.test(status)) {
            assertThat(System.currentTimeMillis()).as("waited for a status; last: %s", status).isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            status = status();
        }
        return status;
    }

    private String infoField(String section, String field) {
        return redis.cli("INFO", section).lines().filter(line -> line.startsWith(field + ":"))
                .map(line -> line.substring(field.length() + 1).trim()).findFirst().orElseThrow();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asString()));
        return texts;
    }
}
