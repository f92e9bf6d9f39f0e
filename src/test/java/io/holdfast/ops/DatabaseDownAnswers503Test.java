package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import io.holdfast.support.TcpProxy;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The server reaches the machine's PostgreSQL through a TCP proxy the test cuts (a crashed database): every request
 * that needs the database answers 503 {@code service_unavailable} with {@code Retry-After}, never 500, and once
 * health has found the database down the requests fail at once instead of waiting for the pool's 10 s (no pool
 * timeout is counted for them). A booking refused that way wrote nothing: after the database is back the same
 * request with the same Idempotency-Key books it, exactly once.
 */
@ActiveProfiles("postgresql")
class DatabaseDownAnswers503Test extends ServerTest {

    private static final TcpProxy DATABASE = TcpProxy.start("127.0.0.1",
            Integer.parseInt(System.getenv().getOrDefault("HOLDFAST_TEST_PG_PORT", "5432")));
    private static final String SCHEMA = System.getenv().getOrDefault("HOLDFAST_TEST_SCHEMA", "holdfast_test")
            + "_down503";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url",
                () -> "jdbc:postgresql://127.0.0.1:" + DATABASE.port() + "/test?currentSchema=" + SCHEMA);
        registry.add("spring.flyway.schemas", () -> SCHEMA);
        // The production pool timeout (application.yml): what a request would wait without the known-down gate.
        registry.add("spring.datasource.hikari.connection-timeout", () -> "10000");
    }

    @Autowired
    MeterRegistry meters;

    @AfterAll
    static void stopProxy() {
        DATABASE.close();
    }

    @Test
    void everyRequestThatNeedsTheDatabaseAnswers503AndABookingWritesNothing() {
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        String clientId = Fixtures.clientId();
        String email = "down-" + UUID.randomUUID() + "@example.com";
        String session = fixtures.session(email);
        Api.Response placed = fixtures.hold(clientId, salon.staffId(), salon.serviceId(), salon.start(day, "10:00"));
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        JsonNode hold = placed.json();
        String idempotencyKey = UUID.randomUUID().toString();
        Map<String, Object> booking = Map.of("holdId", hold.get("holdId").asString(),
                "holdToken", hold.get("token").asString(), "customer", Map.of("name", "Customer", "email", email));
        String availability = "/api/v1/availability?staffId=" + salon.staffId() + "&serviceId=" + salon.serviceId()
                + "&date=" + day + "&clientId=" + clientId;

        DATABASE.cut();
        try {
            // Nobody has looked yet: this one waits for the pool, and still gets 503.
            unavailable(timed("first request", () -> api.get(availability)));

            Api.Response health = api.get("/api/v1/health");
            assertThat(health.status()).as(health.toString()).isEqualTo(503);
            double timeoutsBefore = poolTimeouts();

            unavailable(timed("availability", () -> api.get(availability)));
            unavailable(timed("poll", () -> api.get("/api/v1/live/poll?staffId=" + salon.staffId() + "&date=" + day
                    + "&clientId=" + clientId)));
            unavailable(timed("hold", () -> fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                    salon.start(day, "11:00"))));
            unavailable(timed("release", () -> api.delete("/api/v1/holds/" + hold.get("holdId").asString(),
                    "Hold-Token", hold.get("token").asString())));
            unavailable(timed("booking", () -> api.post("/api/v1/bookings", booking, "Idempotency-Key",
                    idempotencyKey, "Authorization", "Bearer " + session)));
            unavailable(timed("admin day", () -> api.admin("GET", "/api/v1/admin/bookings?date=" + day
                    + "&staffId=" + salon.staffId(), null)));

            assertThat(poolTimeouts()).as("requests while the database is known down do not wait for the pool")
                    .isEqualTo(timeoutsBefore);
        } finally {
            DATABASE.restore();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/health").status() == 200);

        Api.Response availableAgain = api.get(availability);
        assertThat(availableAgain.status()).as(availableAgain.toString()).isEqualTo(200);
        Api.Response booked = api.post("/api/v1/bookings", booking, "Idempotency-Key", idempotencyKey,
                "Authorization", "Bearer " + session);
        assertThat(booked.status()).as("the refused booking left nothing behind: " + booked).isEqualTo(201);
        Api.Response replayed = api.post("/api/v1/bookings", booking, "Idempotency-Key", idempotencyKey,
                "Authorization", "Bearer " + session);
        assertThat(replayed.status()).as(replayed.toString()).isEqualTo(201);
        assertThat(replayed.json().get("bookings").get(0).get("id").asString())
                .isEqualTo(booked.json().get("bookings").get(0).get("id").asString());
        Api.Response day0 = api.admin("GET", "/api/v1/admin/bookings?date=" + day + "&staffId=" + salon.staffId(), null);
        assertThat(day0.status()).as(day0.toString()).isEqualTo(200);
        assertThat(day0.json().toString()).contains(booked.json().get("bookings").get(0).get("id").asString());
        assertThat(bookingsIn(day0.json())).as(day0.toString()).isEqualTo(1);
    }

    private static int bookingsIn(JsonNode day) {
        JsonNode list = day.isArray() ? day : day.get("bookings");
        return list.size();
    }

    private static void unavailable(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo("service_unavailable");
        assertThat(response.json().get("detail").asString()).contains("database is unavailable");
        assertThat(response.headers().firstValue("Retry-After")).as(response.toString())
                .hasValueSatisfying(seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 30));
    }

    /** Prints how long a request took (for the record, not asserted: see docs/benchmarks.md for timings). */
    private static Api.Response timed(String what, java.util.function.Supplier<Api.Response> request) {
        long started = System.nanoTime();
        Api.Response response = request.get();
        System.out.printf("DatabaseDownAnswers503Test: %s answered %d in %d ms%n", what, response.status(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return response;
    }

    private double poolTimeouts() {
        var counter = meters.find("hikaricp.connections.timeout").counter();
        assertThat(counter).as("Hikari's meters are bound").isNotNull();
        return counter.count();
    }
}
