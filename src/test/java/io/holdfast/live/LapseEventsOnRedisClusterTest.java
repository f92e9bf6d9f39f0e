package io.holdfast.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Instance;
import io.holdfast.support.RedisCluster;
import io.holdfast.support.SseClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a three-master Redis Cluster, a lapsing hold is announced from Redis's expiry event whichever master its
 * granule keys live on. The sweep is set to ten minutes here, so only the keyspace events can announce in time:
 * with the subscription on one node only, the holds of the other masters would go unannounced.
 */
class LapseEventsOnRedisClusterTest {

    private static RedisCluster cluster;
    private static Instance server;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
        server = cluster.startServer("--holdfast.hold.ttl=3s", "--holdfast.hold.lapse-check-interval=10m");
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
    void holdsLapsingOnEveryMasterAreAnnouncedFromTheirExpiryEvents() throws Exception {
        Fixtures fixtures = server.fixtures();
        List<SseClient> viewers = new ArrayList<>();
        List<Instant> expiries = new ArrayList<>();
        Set<String> mastersWithHolds = new HashSet<>();
        try {
            for (int i = 0; i < 6; i++) {
                var salon = fixtures.salon();
                LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
                SseClient viewer = SseClient.open(server.url("/api/v1/live/stream?staffId=" + salon.staffId()
                        + "&date=" + day));
                viewers.add(viewer);
                assertThat(viewer.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
                Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                        salon.start(day, "10:00"));
                assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
                expiries.add(OffsetDateTime.parse(hold.json().get("expiresAt").asString()).toInstant());
                mastersWithHolds.addAll(cluster.nodesHolding("hf:{s:" + salon.staffId() + "}:g:*"));
            }
            assertThat(mastersWithHolds).as("the holds' granules are spread over several masters").hasSizeGreaterThan(1);

            for (int i = 0; i < viewers.size(); i++) {
                SseClient.Event expired = LapseEventsTest.nextOfType(viewers.get(i), "expired", Duration.ofSeconds(30));
                // When it arrived, not when this loop got to it (the later viewers' holds were still being made).
                Instant received = expired.receivedAt();
                assertThat(expired.json().get("times").get(0).asString()).isEqualTo("10:00");
                // expiresAt is given to the second; Redis expires a key within about 100 ms of its TTL
                assertThat(Duration.between(expiries.get(i), received)).as("hold %d announced promptly", i)
                        .isLessThan(Duration.ofSeconds(4));
            }
        } finally {
            viewers.forEach(SseClient::close);
        }
    }
}
