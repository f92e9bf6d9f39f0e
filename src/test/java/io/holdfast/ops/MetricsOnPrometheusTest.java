package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Predicate;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.PrometheusText;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTest;
import io.holdfast.support.SseClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The operations metrics are on {@code /actuator/prometheus} (unprotected, like Spring Boot's own endpoints) and move
 * when a booking flow runs: holds granted and refused by reason, bookings and their latency, cache hits and misses per
 * level, open streams, Redis command latency; and when Redis dies and returns: failovers, operations served by SQL,
 * failbacks. Each figure is read from the scrape before and after, so this flow, not another test, moved it.
 */
@ActiveProfiles("h2")
@PrivateRedis
@TestPropertySource(properties = {
        "holdfast.redis.probe-interval=200ms",
        // Local entries lapse quickly, so a second look at a day is answered by the Redis level (a Redis hit).
        "holdfast.cache.local-ttl=300ms"
})
class MetricsOnPrometheusTest extends ServerTest {

    @Autowired
    RedisServer redis;

    @Test
    void aBookingFlowMovesEveryFigure() throws Exception {
        var salon = fixtures.salon();
        LocalDate date = LocalDate.now(salon.zone()).plusDays(2);
        String day = "staffId=" + salon.staffId() + "&date=" + date;
        PrometheusText before = scrape();

        String alice = Fixtures.clientId();
        java.util.Map<String, Object> aliceHolds = java.util.Map.of("clientId", alice, "staffId", salon.staffId(),
                "serviceId", salon.serviceId(), "start", salon.start(date, "10:00"));
        String key = java.util.UUID.randomUUID().toString();
        Api.Response held = api.post("/api/v1/holds", aliceHolds, "Idempotency-Key", key);
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        Api.Response again = api.post("/api/v1/holds", aliceHolds, "Idempotency-Key", key);
        assertThat(again.status()).as("a retry with its key gets the same hold: %s", again).isEqualTo(200);
        Api.Response taken = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(date, "10:00"));
        assertThat(taken.code()).as(taken.toString()).isEqualTo("slot_held");
        String greedy = Fixtures.clientId();
        for (String time : new String[] {"11:00", "12:00", "13:00"}) {
            assertThat(fixtures.hold(greedy, salon.staffId(), salon.serviceId(), salon.start(date, time)).status())
                    .isEqualTo(201);
        }
        Api.Response fourth = fixtures.hold(greedy, salon.staffId(), salon.serviceId(), salon.start(date, "14:00"));
        assertThat(fourth.code()).as(fourth.toString()).isEqualTo("hold_limit_reached");

        Api.Response booked = fixtures.book(held.json(), "metrics@example.com");
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        JsonNode booking = booked.json().get("bookings").get(0);
        Api.Response onBookedTime = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(date, "10:00"));
        assertThat(onBookedTime.code()).as(onBookedTime.toString()).isEqualTo("slot_booked");
        Api.Response usedHold = fixtures.book(held.json(), "metrics@example.com");
        assertThat(usedHold.code()).as("a booked hold is used up: %s", usedHold).isEqualTo("not_found");

        Api.Response moveTo = fixtures.hold(alice, salon.staffId(), salon.serviceId(), salon.start(date, "15:00"));
        assertThat(moveTo.status()).as(moveTo.toString()).isEqualTo(201);
        String manage = booking.get("manageToken").asString();
        String bookingPath = "/api/v1/bookings/" + booking.get("id").asString();
        Api.Response moved = api.post(bookingPath + "/reschedule", Map.of("holdId", moveTo.json().get("holdId").asString(),
                "holdToken", moveTo.json().get("token").asString()), "Manage-Token", manage);
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        Api.Response cancelled = api.delete(bookingPath, "Manage-Token", manage);
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(204);

        String availability = "/api/v1/availability?" + day + "&serviceId=" + salon.serviceId();
        assertThat(api.get(availability).status()).isEqualTo(200);
        assertThat(api.get(availability).status()).isEqualTo(200);
        Thread.sleep(600); // past the local TTL: the next look is served by Redis
        assertThat(api.get(availability).status()).isEqualTo(200);

        try (SseClient stream = SseClient.open(api.base() + "/api/v1/live/stream?" + day)) {
            assertThat(stream.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            PrometheusText after = scrape();

            assertThat(grew(before, after, "holdfast_holds_total", "outcome", "granted", "reason", "none"))
                    .isEqualTo(5); // 10:00, three of the greedy client's, the reschedule's 15:00
            assertThat(grew(before, after, "holdfast_holds_total", "outcome", "repeated", "reason", "none")).isEqualTo(1);
            for (String reason : new String[] {"slot_held", "hold_limit_reached", "slot_booked"}) {
                assertThat(grew(before, after, "holdfast_holds_total", "outcome", "refused", "reason", reason))
                        .as(reason).isEqualTo(1);
            }
            assertThat(after.type("holdfast_holds_total")).isEqualTo("counter");

            for (String change : new String[] {"confirmed", "rescheduled", "cancelled"}) {
                assertThat(grew(before, after, "holdfast_bookings_total", "change", change)).as(change).isEqualTo(1);
            }
            assertThat(grew(before, after, "holdfast_booking_latency_seconds_count", "outcome", "confirmed"))
                    .isEqualTo(1);
            assertThat(grew(before, after, "holdfast_booking_latency_seconds_sum", "outcome", "confirmed"))
                    .isPositive();
            assertThat(grew(before, after, "holdfast_booking_latency_seconds_count", "outcome", "not_found"))
                    .isEqualTo(1);
            assertThat(after.type("holdfast_booking_latency_seconds")).as("aggregatable percentiles")
                    .isEqualTo("histogram");
            assertThat(after.samples("holdfast_booking_latency_seconds_bucket", "outcome", "confirmed")).isNotEmpty();

            // Summed over the caches: on a loaded machine two looks at one day may already be 300 ms apart, but the
            // catalogue is read several times within each request.
            for (String level : new String[] {"local", "redis"}) {
                for (String result : new String[] {"hit", "miss"}) {
                    assertThat(grew(before, after, "holdfast_cache_requests_total", "level", level, "result", result))
                            .as("%s %s", level, result).isPositive();
                }
            }
            assertThat(grew(before, after, "holdfast_cache_requests_total", "cache", "availability", "level", "redis",
                    "result", "hit")).as("the day looked at again after its local copy lapsed").isPositive();

            assertThat(after.sum("holdfast_live_streams_open")).as("the stream open now").isGreaterThanOrEqualTo(1);

            double redisCommands = grew(before, after, "lettuce_seconds_count");
            assertThat(redisCommands).as("Redis commands timed by Lettuce's observation").isPositive();
            assertThat(after.samples("lettuce_seconds_count")).allSatisfy(
                    sample -> assertThat(sample.labels()).containsKey("db_operation"));
            assertThat(grew(before, after, "lettuce_seconds_count", "db_operation", "EVALSHA"))
                    .as("hold scripts").isPositive();
            assertThat(grew(before, after, "holdfast_storage_redis_calls_seconds_count")).isPositive();
            assertThat(after.sum("holdfast_storage_mode_redis")).isEqualTo(1);
        }
    }

    @Test
    void failoverSqlServiceAndFailbackAreCounted() throws Exception {
        var salon = fixtures.salon();
        LocalDate date = LocalDate.now(salon.zone()).plusDays(3);
        awaitGauge("holdfast_storage_mode_redis", 1);
        PrometheusText before = scrape();

        redis.kill();
        try {
            Api.Response held = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                    salon.start(date, "09:00"));
            assertThat(held.status()).as("no error while Redis is gone: %s", held).isEqualTo(201);
            PrometheusText outage = scrape();
            assertThat(grew(before, outage, "holdfast_storage_failovers_total")).isGreaterThanOrEqualTo(1);
            assertThat(grew(before, outage, "holdfast_storage_fallback_operations_total")).isPositive();
            assertThat(outage.sum("holdfast_storage_mode_redis")).isEqualTo(0);
            assertThat(grew(before, outage, "holdfast_storage_failbacks_total")).isEqualTo(0);
        } finally {
            redis.restart();
        }

        // One scrape reads its meters one after another (the counter before the gauge), so a scrape taken while the
        // mode flips can show the new mode without the count: await a scrape that shows both.
        PrometheusText back = awaitScrape(scrape -> scrape.sum("holdfast_storage_mode_redis") == 1
                && grew(before, scrape, "holdfast_storage_failbacks_total") >= 1);
        assertThat(back.sum("holdfast_storage_mode_redis")).as("back in Redis mode").isEqualTo(1);
        assertThat(grew(before, back, "holdfast_storage_failbacks_total")).as("the failback is counted")
                .isGreaterThanOrEqualTo(1);
        // The sync's timer is recorded when the sync ends, after one more pass behind the switch.
        PrometheusText synced = awaitScrape(
                scrape -> grew(before, scrape, "holdfast_storage_failback_sync_seconds_count") >= 1);
        assertThat(grew(before, synced, "holdfast_storage_failback_sync_seconds_count")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theEndpointAnswersOddRequestsWithoutAServerError() {
        Api.Response openMetrics = api.get("/actuator/prometheus", "Accept", "application/openmetrics-text;version=1.0.0");
        assertThat(openMetrics.status()).isEqualTo(200);
        assertThat(openMetrics.contentType()).startsWith("application/openmetrics-text");
        // Prometheus filters by family name, which leaves out the counter's _total suffix.
        Api.Response filtered = api.get("/actuator/prometheus?includedNames=holdfast_holds");
        assertThat(filtered.status()).isEqualTo(200);
        PrometheusText onlyHolds = PrometheusText.parse(filtered.body());
        assertThat(onlyHolds.samples("holdfast_holds_total")).isNotEmpty();
        assertThat(onlyHolds.samples("holdfast_bookings_total")).isEmpty();
        assertThat(api.get("/actuator/prometheus", "Accept", "application/json").status()).isBetween(400, 499);
        assertThat(api.post("/actuator/prometheus", Map.of("x", 1)).status()).isBetween(400, 499);
    }

    private PrometheusText scrape() {
        Api.Response answer = api.get("/actuator/prometheus");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/plain");
        return PrometheusText.parse(answer.body());
    }

    private PrometheusText awaitGauge(String name, double value) throws InterruptedException {
        PrometheusText scrape = awaitScrape(candidate -> candidate.sum(name) == value);
        assertThat(scrape.sum(name)).as(name).isEqualTo(value);
        return scrape;
    }

    /** The first scrape that meets {@code wanted}, or the last one after 30 s (the caller's assertion then fails). */
    private PrometheusText awaitScrape(Predicate<PrometheusText> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        PrometheusText scrape = scrape();
        while (!wanted.test(scrape) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            scrape = scrape();
        }
        return scrape;
    }

    private static double grew(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }
}
