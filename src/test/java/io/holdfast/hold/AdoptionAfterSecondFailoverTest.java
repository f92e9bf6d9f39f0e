package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.RedisFirstSupport;
import io.holdfast.redis.StorageMode;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * FailoverWithoutErrorsTest once lost a hold made during an outage at the failback after a second failover. A hold
 * lost with a dead Redis is adopted again from its token much later, into an SQL store that has forgotten (at the
 * first failback) the hold made on the same time meanwhile. At the second failback the two meet, and the adopted
 * hold must not win for the creation time its token carries: its lease is only as old as its adoption, while the
 * other hold has kept the time since the first outage. The earlier lease wins, on every instance alike.
 */
@ActiveProfiles("h2")
@PrivateRedis
@TestPropertySource(properties = "holdfast.redis.probe-interval=1h") // the test fails over and back itself
class AdoptionAfterSecondFailoverTest extends ServerTest {

    @Autowired
    RedisServer redisServer;
    @Autowired
    RedisFirst router;
    @Autowired
    StringRedisTemplate redis;

    @Test
    void aHoldAdoptedAfterASecondFailoverDoesNotTakeTheTimeOfAHoldKeptSinceTheFirstOutage() throws Exception {
        var salon = fixtures.salon();
        String start = salon.start(LocalDate.now(salon.zone()).plusDays(2), "10:00");
        if (router.mode() == StorageMode.SQL) {
            RedisFirstSupport.syncAndSwitch(router, redis); // a slow call on a loaded machine failed over already
        }
        assertThat(router.mode()).isEqualTo(StorageMode.REDIS);
        Api.Response lost = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), start);
        assertThat(lost.status()).as(lost.toString()).isEqualTo(201);

        redisServer.kill(); // the first hold dies with Redis, which keeps nothing on disk
        Api.Response kept = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), start);
        assertThat(kept.status()).as("the time is free in SQL: " + kept).isEqualTo(201);
        assertThat(router.mode()).isEqualTo(StorageMode.SQL);
        redisServer.restart();
        failBack();
        UUID keptId = UUID.fromString(kept.json().get("holdId").asString());
        assertThat(redis.opsForHash().entries(RedisTemporaryStore.recordKey(keptId))).isNotEmpty();

        // A slow call fails over again, Redis alive; the first hold's owner comes back and its token adopts it.
        RedisFirstSupport.failOver(router, "a slow call");
        Api.Response adopted = extend(lost.json());
        assertThat(adopted.status()).as("adopted in SQL, which no longer knows the kept hold: " + adopted)
                .isEqualTo(200);
        failBack();

        Map<Object, Object> record = redis.opsForHash().entries(RedisTemporaryStore.recordKey(keptId));
        assertThat(record).as("the hold kept since the first outage is still in Redis").isNotEmpty();
        long granule = HoldItems.decode((String) record.get("items")).get(0).occupancy().granules()[0];
        assertThat(redis.opsForValue().get(RedisTemporaryStore.granuleKey(salon.staffId(), granule)))
                .as("its time is leased to it").startsWith(keptId + "|");
        UUID lostId = UUID.fromString(lost.json().get("holdId").asString());
        assertThat(redis.opsForHash().entries(RedisTemporaryStore.recordKey(lostId)))
                .as("the adopted hold lost at the failback").isEmpty();
    }

    private Api.Response extend(JsonNode hold) {
        return api.patch("/api/v1/holds/" + hold.get("holdId").asString(), null, "Hold-Token",
                hold.get("token").asString());
    }

    /** Fails back as the health probe would, once Lettuce has reconnected to the restarted Redis. */
    private void failBack() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (router.mode() != StorageMode.REDIS && System.nanoTime() < deadline) {
            try {
                RedisFirstSupport.syncAndSwitch(router, redis);
            } catch (RuntimeException notConnectedYet) {
                Thread.sleep(100);
            }
        }
        assertThat(router.mode()).as("failed back").isEqualTo(StorageMode.REDIS);
    }
}
