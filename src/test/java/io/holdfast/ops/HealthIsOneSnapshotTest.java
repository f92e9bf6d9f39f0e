package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.StorageMode;
import io.holdfast.support.Api;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Issue #16: right after a Redis kill /api/v1/health answered {@code status: ok, redis: connected,
 * storageMode: sql}. Hammered from several threads while Redis is killed and restarted, every answer is one of
 * the two consistent snapshots.
 */
@ActiveProfiles("h2")
@PrivateRedis
@TestPropertySource(properties = "holdfast.redis.probe-interval=200ms")
class HealthIsOneSnapshotTest extends ServerTest {

    private static final Set<String> CONSISTENT = Set.of("ok/connected/redis", "degraded/disconnected/sql");

    @Autowired
    RedisServer redis;
    @Autowired
    RedisFirst router;

    @Test
    void everyHealthAnswerDuringAKillAndARestartIsConsistent() throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> router.mode() == StorageMode.REDIS);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            java.util.List<Future<Integer>> hammers = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                hammers.add(pool.submit(() -> {
                    int answers = 0;
                    while (running.get()) {
                        Api.Response health = api.get("/api/v1/health");
                        assertThat(health.status()).as(health.toString()).isEqualTo(200);
                        JsonNode body = health.json();
                        seen.add(body.get("status").asString() + "/" + body.get("redis").asString() + "/"
                                + body.get("storageMode").asString());
                        answers++;
                    }
                    return answers;
                }));
            }
            // a request that meets the dead Redis switches the mode before the probe notices: the old race
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("ok/connected/redis"));
            redis.kill();
            api.get("/api/v1/availability?staffId=1&serviceId=1&date=2030-01-01");
            await().atMost(Duration.ofSeconds(15)).until(() -> seen.contains("degraded/disconnected/sql"));
            redis.restart();
            await().atMost(Duration.ofSeconds(20)).until(() -> router.mode() == StorageMode.REDIS);
            Thread.sleep(300); // a few more answers after the failback (more answers, never a weaker check)
            running.set(false);
            int answers = 0;
            for (Future<Integer> hammer : hammers) {
                answers += hammer.get();
            }
            assertThat(answers).isGreaterThan(20);
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
        assertThat(seen).isSubsetOf(CONSISTENT).containsAll(CONSISTENT);
    }
}
