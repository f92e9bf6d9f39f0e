package io.holdfast.hold;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import io.holdfast.redis.RedisFirst;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import io.holdfast.redis.StorageMode;
import io.holdfast.support.PrivateRedis;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HoldAbuseContract} with holds in a Redis of the class's own (the limits counted in the Lua scripts). */
@ActiveProfiles("h2")
@PrivateRedis
@TestPropertySource(properties = {"holdfast.hold.record-grace=2m", "holdfast.redis.probe-interval=200ms"})
class HoldAbuseOnRedisTest extends HoldAbuseContract {

    @Autowired
    RedisFirst router;
    @Autowired
    RedisServer redis;

    /**
     * Finding 5 in Redis: the released marker took the record's TTL (lease left + grace). Now it lives as long as
     * the token could adopt the hold (max lifetime + grace = 32 min here), and the used token books and extends
     * nothing.
     */
    @Test
    void aUsedHoldsMarkerOutlivesItsToken() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        Api.Response held = hold(Fixtures.clientId(), salon, salon.start(day, "10:00"), Fixtures.clientAddress());
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        String holdId = held.json().get("holdId").asString();
        String email = "replay-" + UUID.randomUUID() + "@example.com";
        Api.Response booked = fixtures.book(held.json(), email);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);

        long markerMillis = Long.parseLong(redis.cli("PTTL", "hf:{h:" + holdId + "}:released").trim());
        assertThat(markerMillis).as("the marker's TTL").isGreaterThan(Duration.ofMinutes(31).toMillis())
                .isLessThanOrEqualTo(Duration.ofMinutes(32).toMillis());

        JsonNode booking = booked.json().get("bookings").get(0);
        assertThat(api.delete("/api/v1/bookings/" + booking.get("id").asString(), "Manage-Token",
                booking.get("manageToken").asString()).status()).isEqualTo(204);
        Api.Response replay = fixtures.book(held.json(), email);
        assertThat(replay.status()).as(replay.toString()).isIn(404, 410);
        Api.Response extend = api.patch("/api/v1/holds/" + holdId, Map.of(), "Hold-Token",
                held.json().get("token").asString());
        assertThat(extend.status()).as(extend.toString()).isIn(404, 410);
    }

    @BeforeEach
    void redisServesHolds() throws InterruptedException {
        awaitMode(StorageMode.REDIS);
    }

    /**
     * Holds made in SQL while Redis was down keep what protects them when the failback copies them into Redis: the
     * owner's retry with its Idempotency-Key still finds its hold, and the address's 12 slots still count, so an
     * outage is no way around the limit.
     */
    @Test
    void anOutagesHoldsKeepTheirKeyAndTheirAddressAcrossTheFailback() throws InterruptedException {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(4);
        java.util.List<String> times = fixtures.times(salon, day);
        String address = Fixtures.clientAddress();
        String owner = Fixtures.clientId();
        String key = UUID.randomUUID().toString();
        Api.Response first;
        redis.kill();
        try {
            awaitMode(StorageMode.SQL);
            first = holdWithKey(owner, salon, salon.start(day, times.get(0)), key, address);
            assertThat(first.status()).as(first.toString()).isEqualTo(201);
            for (int i = 1; i < 12; i++) {
                Api.Response held = hold(Fixtures.clientId(), salon, salon.start(day, times.get(i)), address);
                assertThat(held.status()).as(held.toString()).isEqualTo(201);
            }
        } finally {
            redis.restart();
        }
        awaitMode(StorageMode.REDIS);

        Api.Response retry = holdWithKey(owner, salon, salon.start(day, times.get(0)), key, address);
        assertThat(retry.status()).as("the owner's retry after the failback: " + retry).isEqualTo(200);
        assertThat(retry.json().get("token").asString()).isEqualTo(first.json().get("token").asString());
        Api.Response thirteenth = hold(Fixtures.clientId(), salon, salon.start(day, times.get(12)), address);
        assertThat(thirteenth.status()).as(thirteenth.toString()).isEqualTo(409);
        assertThat(thirteenth.code()).isEqualTo("hold_limit_reached");
    }

    private void awaitMode(StorageMode mode) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (router.mode() != mode) {
            assertThat(System.currentTimeMillis()).as("waited for %s mode", mode).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
