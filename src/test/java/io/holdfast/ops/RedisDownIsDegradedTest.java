package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.StorageMode;
import io.holdfast.support.Api;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTest;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Health on a server with its own Redis: "ok" while Redis answers; when Redis is killed the server says
 * "degraded" (200, storage mode sql) in both health endpoints and stays ready, because every request is still
 * served from SQL.
 */
@ActiveProfiles("h2")
@PrivateRedis
@TestPropertySource(properties = "holdfast.redis.probe-interval=200ms")
class RedisDownIsDegradedTest extends ServerTest {

    @Autowired
    RedisServer redis;
    @Autowired
    RedisFirst router;
    @Autowired
    ClientResources redisClientResources;

    /**
     * However long Redis was away, the server's client tries again within the probe interval (200 ms here), so the
     * probe and the failback start about as soon as Redis is back (RedisMessagesAfterAnOutageTest shows the effect; Lettuce's
     * default waits up to 30 s between attempts).
     */
    @Test
    void theRedisClientReconnectsWithinTheProbeInterval() {
        for (int attempt : new int[] {1, 10, 30, 1_000}) {
            assertThat(redisClientResources.reconnectDelay().createDelay(attempt)).as("delay before attempt " + attempt)
                    .isLessThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void okWhileRedisAnswers() {
        await().atMost(Duration.ofSeconds(30)).until(() -> router.mode() == StorageMode.REDIS);
        Api.Response health = api.get("/api/v1/health");
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        JsonNode body = health.json();
        assertThat(body.get("status").asString()).isEqualTo("ok");
        assertThat(body.get("database").asString()).isEqualTo("up");
        assertThat(body.get("redis").asString()).isEqualTo("connected");
        assertThat(body.get("storageMode").asString()).isEqualTo("redis");
        assertThat(body.get("instanceId").asString()).isNotBlank();
        assertThat(body.get("version").asString()).isNotBlank();

        assertActuator("/actuator/health", 200, "UP");
        assertThat(component("/actuator/health", "redis")).isEqualTo("UP");
        assertThat(component("/actuator/health", "database")).isEqualTo("UP");
        assertActuator("/actuator/health/readiness", 200, "UP");
        assertActuator("/actuator/health/liveness", 200, "UP");
    }

    @Test
    void degradedWhileRedisIsDown() {
        await().atMost(Duration.ofSeconds(30)).until(() -> router.mode() == StorageMode.REDIS);
        redis.kill();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api.get("/api/v1/health").json().get("redis").asString().equals("disconnected"));
            await().atMost(Duration.ofSeconds(30)).until(() -> router.mode() == StorageMode.SQL);
            Api.Response health = api.get("/api/v1/health");
            assertThat(health.status()).as(health.toString()).isEqualTo(200);
            JsonNode body = health.json();
            assertThat(body.get("status").asString()).isEqualTo("degraded");
            assertThat(body.get("database").asString()).isEqualTo("up");
            assertThat(body.get("redis").asString()).isEqualTo("disconnected");
            assertThat(body.get("storageMode").asString()).isEqualTo("sql");

            assertActuator("/actuator/health", 200, "DEGRADED");
            assertThat(component("/actuator/health", "redis")).isEqualTo("DEGRADED");
            assertThat(component("/actuator/health", "database")).isEqualTo("UP");
            assertActuator("/actuator/health/readiness", 200, "DEGRADED");
            assertActuator("/actuator/health/liveness", 200, "UP");
            assertThat(api.get("/actuator/health/liveness").json().get("components").has("redis"))
                    .as("liveness never asks Redis").isFalse();
        } finally {
            redis.restart();
            await().atMost(Duration.ofSeconds(30)).until(() -> router.mode() == StorageMode.REDIS);
        }
        assertThat(api.get("/api/v1/health").json().get("status").asString()).isEqualTo("ok");
    }

    private void assertActuator(String path, int status, String health) {
        Api.Response response = api.get(path);
        assertThat(response.status()).as(path + " " + response).isEqualTo(status);
        assertThat(response.json().get("status").asString()).as(path).isEqualTo(health);
        assertThat(response.body()).as("no details for anonymous callers").doesNotContain("\"details\"");
    }

    private String component(String path, String name) {
        return api.get(path).json().get("components").get(name).get("status").asString();
    }
}
