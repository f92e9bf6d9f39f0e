package io.holdfast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
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
 * A confirmation racing time off over the same time, many pairs released at once over real HTTP: exactly one of
 * each pair wins (the booking, and the time off is {@code bookings_affected}; or the time off, and the booking is
 * {@code slot_unavailable}), and the database never holds a confirmed booking under time off. Both transactions
 * lock the staff member's row first, so one always sees the other's commit.
 */
abstract class BookingVersusTimeOffRaceTest extends ServerTest {

    private static final int PAIRS = 16;

    @Autowired
    private JdbcClient jdbc;

    @Test
    void aBookingAndTimeOffOverItNeverBothStand() throws Exception {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        String email = "race-" + UUID.randomUUID() + "@example.com";
        fixtures.session(email);
        List<JsonNode> holds = new ArrayList<>();
        List<String> starts = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            String start = salon.start(day, LocalTime.of(8, 0).plusMinutes(30L * i).toString());
            Api.Response hold = api.post("/api/v1/holds", Map.of("clientId", Fixtures.clientId(),
                    "staffId", salon.staffId(), "serviceId", salon.serviceId(), "start", start),
                    "X-Forwarded-For", Fixtures.clientAddress());
            assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
            holds.add(hold.json());
            starts.add(start);
        }

        ExecutorService pool = Executors.newFixedThreadPool(2 * PAIRS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Api.Response>> bookings = new ArrayList<>();
        List<Future<Api.Response>> timeOff = new ArrayList<>();
        try {
            for (int i = 0; i < PAIRS; i++) {
                JsonNode hold = holds.get(i);
                String start = starts.get(i);
                String end = salon.start(day, LocalTime.of(8, 30).plusMinutes(30L * i).toString());
                bookings.add(pool.submit(released(go, () -> fixtures.book(hold, email))));
                timeOff.add(pool.submit(released(go, () -> api.admin("POST",
                        "/api/v1/admin/staff/" + salon.staffId() + "/time-off", Map.of("start", start, "end", end)))));
            }
            go.countDown();
            int bookingsWon = 0;
            for (int i = 0; i < PAIRS; i++) {
                Api.Response booking = bookings.get(i).get(60, TimeUnit.SECONDS);
                Api.Response off = timeOff.get(i).get(60, TimeUnit.SECONDS);
                if (booking.status() == 201) {
                    bookingsWon++;
                    assertThat(off.status()).as("pair %d: booked, so %s", i, off).isEqualTo(409);
                    assertThat(off.code()).isEqualTo("bookings_affected");
                } else {
                    assertThat(booking.status()).as("pair %d: %s", i, booking).isEqualTo(409);
                    assertThat(booking.code()).isEqualTo("slot_unavailable");
                    assertThat(off.status()).as("pair %d: booking refused, so %s", i, off).isEqualTo(201);
                }
            }
            System.out.printf("[booking vs time off] %d of %d pairs went to the booking%n", bookingsWon, PAIRS);
        } finally {
            pool.shutdownNow();
        }

        long confirmedUnderTimeOff = jdbc.sql("""
                SELECT COUNT(*) FROM booking b JOIN time_off t ON t.staff_id = b.staff_id
                WHERE b.staff_id = ? AND b.status = 'CONFIRMED' AND b.start_at < t.end_at AND t.start_at < b.end_at""")
                .param(salon.staffId()).query(Long.class).single();
        long confirmed = jdbc.sql("SELECT COUNT(*) FROM booking WHERE staff_id = ? AND status = 'CONFIRMED'")
                .param(salon.staffId()).query(Long.class).single();
        long offRows = jdbc.sql("SELECT COUNT(*) FROM time_off WHERE staff_id = ?").param(salon.staffId())
                .query(Long.class).single();
        assertThat(confirmedUnderTimeOff).isZero();
        assertThat(confirmed + offRows).as("one winner per pair").isEqualTo(PAIRS);
    }

    private static Callable<Api.Response> released(CountDownLatch go, Callable<Api.Response> call) {
        return () -> {
            go.await();
            return call.call();
        };
    }
}

@ActiveProfiles("h2")
class BookingVersusTimeOffRaceOnH2Test extends BookingVersusTimeOffRaceTest {
}

@ActiveProfiles("postgresql")
class BookingVersusTimeOffRaceOnPostgresTest extends BookingVersusTimeOffRaceTest {
}

@ActiveProfiles("mariadb")
class BookingVersusTimeOffRaceOnMariaDbTest extends BookingVersusTimeOffRaceTest {
}
