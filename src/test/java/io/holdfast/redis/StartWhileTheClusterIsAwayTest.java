package io.holdfast.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Instance;
import io.holdfast.support.RedisCluster;
import io.holdfast.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server starts, and serves from SQL, while its Redis Cluster does not answer (every node stopped: the topology
 * cannot be read), as it does when a single Redis is unreachable at start; once the cluster answers it fails back to
 * Redis and its subscriptions work. Before, the listener container's start failed the whole start-up ("Cannot
 * obtain initial Redis Cluster topology"), seen in the three-instance drill on a loaded machine.
 */
class StartWhileTheClusterIsAwayTest {

    private static RedisCluster cluster;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stop() {
        cluster.nodes().forEach(RedisServer::resume);
        cluster.close();
    }

    @Test
    void startsOnSqlAndFailsBackWhenTheClusterAnswers() {
        cluster.nodes().forEach(RedisServer::pause);
        try (Instance server = cluster.startServer("--holdfast.redis.probe-interval=200ms")) {
            RedisFirst router = server.bean(RedisFirst.class);
            Fixtures.Salon salon = server.fixtures().salon();
            LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
            Api.Response onSql = server.fixtures().hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                    salon.start(day, "10:00"));
            assertThat(onSql.status()).as(onSql.toString()).isEqualTo(201);
            assertThat(router.mode()).as("the hold was answered from SQL").isEqualTo(StorageMode.SQL);

            long before = System.currentTimeMillis();
            cluster.nodes().forEach(RedisServer::resume);
            await().atMost(Duration.ofSeconds(60)).until(() -> router.mode() == StorageMode.REDIS);
            RedisMessages messages = server.bean(RedisMessages.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> messages.subscriptionProvenAt() > before);
            Api.Response onRedis = server.fixtures().hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                    salon.start(day, "11:00"));
            assertThat(onRedis.status()).as(onRedis.toString()).isEqualTo(201);
            assertThat(cluster.nodesHolding("hf:{h:" + onRedis.json().get("holdId").asString() + "}")).hasSize(1);
        }
    }
}
