package io.holdfast.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * One Idempotency-Key is one booking: parallel duplicates all get the first answer, a later replay gets it byte
 * for byte, and the key cannot be reused for another request.
 */
abstract class IdempotencyTest extends ServerTest {

    private static final int DUPLICATES = 20;

    @Autowired
    private JdbcClient jdbc;

    @Test
    void parallelDuplicatesMakeOneBookingAndAllGetItsAnswer() throws Exception {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        var hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "11:00"));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        String key = UUID.randomUUID().toString();

        List<Api.Response> answers = inParallel(() -> fixtures.book(hold.json(), "ann@example.com", key));

        Api.Response first = answers.get(0);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        String bookingId = first.json().get("bookings").get(0).get("id").asString();
        for (Api.Response answer : answers) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
            assertThat(answer.json().get("bookings")).hasSize(1);
            assertThat(answer.json().get("bookings").get(0).get("id").asString()).isEqualTo(bookingId);
            assertThat(answer.body()).as("every duplicate gets the very same answer").isEqualTo(first.body());
        }
        BookingRows rows = new BookingRows(jdbc);
        assertThat(rows.confirmedIds(salon.staffId())).containsExactly(bookingId);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM booking WHERE staff_id = ?").param(salon.staffId())
                .query(Long.class).single()).isEqualTo(1L);

        Api.Response otherBody = api.post("/api/v1/bookings", Map.of("holdId", hold.json().get("holdId").asString(),
                "holdToken", hold.json().get("token").asString(),
                "customer", Map.of("name", "Someone Else", "email", "eve@example.com")), "Idempotency-Key", key,
                "Authorization", "Bearer " + fixtures.session("eve@example.com"));
        assertThat(otherBody.status()).as(otherBody.toString()).isEqualTo(422);
        assertThat(otherBody.contentType()).startsWith("application/problem+json");
        assertThat(otherBody.code()).isEqualTo("idempotency_key_reused");

        Api.Response replay = fixtures.book(hold.json(), "ann@example.com", key);
        assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(rows.confirmedIds(salon.staffId())).containsExactly(bookingId);
    }

    @Test
    void aRefusalIsReplayedTooAndAFreshKeyIsJudgedAfresh() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        JsonNode hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "12:00"))
                .json();
        var booked = fixtures.book(hold, "ann@example.com");
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);

        // The hold was consumed by the booking: another key for the same hold is refused, and that refusal
        // is what the key answers from then on.
        String key = UUID.randomUUID().toString();
        var refused = fixtures.book(hold, "ann@example.com", key);
        assertThat(refused.status()).as(refused.toString()).isBetween(400, 499);
        assertThat(refused.code()).isNotNull();
        var replay = fixtures.book(hold, "ann@example.com", key);
        assertThat(replay.status()).isEqualTo(refused.status());
        assertThat(replay.body()).isEqualTo(refused.body());
        assertThat(new BookingRows(jdbc).confirmed(salon.staffId())).isEqualTo(1);
    }

    private static List<Api.Response> inParallel(java.util.concurrent.Callable<Api.Response> request)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(DUPLICATES);
        try {
            CountDownLatch ready = new CountDownLatch(DUPLICATES);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < DUPLICATES; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return request.call();
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Api.Response> answers = new ArrayList<>();
            for (Future<Api.Response> future : futures) {
                answers.add(future.get(2, TimeUnit.MINUTES));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}

@ActiveProfiles("h2")
class IdempotencyOnH2Test extends IdempotencyTest {
}

@ActiveProfiles("postgresql")
class IdempotencyOnPostgresTest extends IdempotencyTest {
}

@ActiveProfiles("mariadb")
class IdempotencyOnMariaDbTest extends IdempotencyTest {
}
