package io.holdfast.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Many clients released at the same instant, over real HTTP, each trying hold-then-book for one staff member:
 * the database lets exactly one booking through per time, no two confirmed bookings overlap, every loser gets a
 * clean 409/410 with a machine code and nothing answers 5xx.
 */
abstract class BookingRaceTest extends ServerTest {

    private static final int CLIENTS = 200;
    private static final Set<String> LOSER_CODES = Set.of("slot_held", "slot_booked", "hold_expired");

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private Environment environment;

    @Test
    void twoHundredClientsForTwentySlotsMakeExactlyTwentyBookings() throws Exception {
        var salon = fixtures.salon(); // 30-minute grid, 30-minute service, 08:00-18:00: 20 slots
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        List<String> starts = starts(salon, day, 30, 20);

        Race race = race(salon, i -> starts.get(i % starts.size()));
        race.print("20 identical slots", environment);

        BookingRows rows = new BookingRows(jdbc);
        race.assertCleanOutcomes();
        assertThat(race.holdCreated()).as("one lease per slot, none on booked time").isEqualTo(20);
        assertThat(race.bookingCreated()).isEqualTo(20);
        assertThat(race.bookedStarts()).as("one booking per slot").containsExactlyInAnyOrderElementsOf(starts);
        assertThat(rows.confirmed(salon.staffId())).isEqualTo(20);
        assertThat(rows.confirmedIds(salon.staffId())).containsExactlyInAnyOrderElementsOf(race.bookingIds());
        assertThat(rows.overlappingPairs(salon.staffId())).isZero();
        assertThat(rows.bookedGranules(salon.staffId())).as("6 granules per 30-minute booking").isEqualTo(20 * 6);
    }

    @Test
    void partiallyOverlappingRequestsNeverProduceOverlappingBookings() throws Exception {
        // 60-minute service on a 15-minute grid: 37 starts, each overlapping the three before and after it.
        var salon = fixtures.salon("Europe/Berlin", 15, 60, 0, 0, "08:00", "18:00");
        LocalDate day = LocalDate.now(salon.zone()).plusDays(4);
        List<String> starts = starts(salon, day, 15, 37);

        Race race = race(salon, i -> starts.get(i % starts.size()));
        race.print("37 overlapping slots", environment);

        BookingRows rows = new BookingRows(jdbc);
        race.assertCleanOutcomes();
        assertThat(race.bookingCreated()).isPositive();
        assertThat(rows.confirmed(salon.staffId())).isEqualTo(race.bookingCreated());
        assertThat(rows.confirmedIds(salon.staffId())).containsExactlyInAnyOrderElementsOf(race.bookingIds());
        assertThat(rows.overlappingPairs(salon.staffId())).isZero();
        assertThat(rows.bookedGranules(salon.staffId())).as("12 granules per 60-minute booking")
                .isEqualTo(race.bookingCreated() * 12L);
    }

    private static List<String> starts(Fixtures.Salon salon, LocalDate day, int everyMinutes, int count) {
        List<String> starts = new ArrayList<>();
        LocalTime time = LocalTime.of(8, 0);
        for (int i = 0; i < count; i++) {
            starts.add(salon.start(day, time.toString()));
            time = time.plusMinutes(everyMinutes);
        }
        return starts;
    }

    /** One client's attempt: its hold answer, and its booking answer when it got a hold. */
    private record Attempt(String start, Api.Response hold, Api.Response booking) {
    }

    /**
     * Waits until every client has its verified session, however long the machine takes (200 one-time-code logins
     * took over a minute at load 40, and the race had not even started); a client that failed meanwhile fails the
     * test at once with its own exception. Nothing is timed here: the race starts only after this.
     */
    private static void awaitReady(CountDownLatch ready, List<Future<Attempt>> futures) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!ready.await(1, TimeUnit.SECONDS)) {
            for (Future<Attempt> future : futures) {
                if (future.isDone()) {
                    future.get(); // only a failed client is done before the start: this throws its failure
                }
            }
            assertThat(System.nanoTime()).as("all clients ready within 10 minutes").isLessThan(deadline);
        }
    }

    private Race race(Fixtures.Salon salon, IntFunction<String> startOfClient) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            CountDownLatch ready = new CountDownLatch(CLIENTS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Attempt>> futures = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String start = startOfClient.apply(i);
                String clientId = Fixtures.clientId();
                String email = "client" + i + "@example.com";
                futures.add(pool.submit(() -> {
                    fixtures.session(email); // verified before the race: the race is for slots, not for codes
                    ready.countDown();
                    go.await();
                    Api.Response hold = fixtures.hold(clientId, salon.staffId(), salon.serviceId(), start);
                    Api.Response booking = hold.status() == 201 ? fixtures.book(hold.json(), email) : null;
                    return new Attempt(start, hold, booking);
                }));
            }
            awaitReady(ready, futures);
            long started = System.nanoTime();
            go.countDown();
            List<Attempt> attempts = new ArrayList<>();
            for (Future<Attempt> future : futures) {
                attempts.add(future.get(5, TimeUnit.MINUTES));
            }
            return new Race(attempts, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } finally {
            pool.shutdownNow();
        }
    }

    private record Race(List<Attempt> attempts, long elapsedMillis) {

        long holdCreated() {
            return attempts.stream().filter(a -> a.hold().status() == 201).count();
        }

        long bookingCreated() {
            return booked().size();
        }

        List<Attempt> booked() {
            return attempts.stream().filter(a -> a.booking() != null && a.booking().status() == 201).toList();
        }

        List<String> bookingIds() {
            return booked().stream().map(a -> a.booking().json().get("bookings").get(0).get("id").asString()).toList();
        }

        List<String> bookedStarts() {
            return booked().stream().map(a -> a.booking().json().get("bookings").get(0).get("start").asString())
                    .toList();
        }

        Map<String, Integer> holdRefusals() {
            Map<String, Integer> byCode = new TreeMap<>();
            attempts.stream().filter(a -> a.hold().status() != 201)
                    .forEach(a -> byCode.merge(a.hold().status() + " " + a.hold().code(), 1, Integer::sum));
            return byCode;
        }

        Map<String, Integer> bookingRefusals() {
            Map<String, Integer> byCode = new TreeMap<>();
            attempts.stream().filter(a -> a.booking() != null && a.booking().status() != 201)
                    .forEach(a -> byCode.merge(a.booking().status() + " " + a.booking().code(), 1, Integer::sum));
            return byCode;
        }

        void print(String what, Environment environment) {
            System.out.printf("[booking race] %s on %s, %d clients: holds 201=%d refused=%s | bookings 201=%d "
                    + "refused=%s | elapsed %d ms%n", what, String.join(",", environment.getActiveProfiles()),
                    attempts.size(), holdCreated(), holdRefusals(), bookingCreated(), bookingRefusals(),
                    elapsedMillis);
        }

        /**
         * No 5xx anywhere; every refusal is a 409/410 problem+json with a loser's code; and every hold that was
         * granted was honoured (leases never overlap each other nor booked time, and none lapses during a race).
         */
        void assertCleanOutcomes() {
            assertThat(bookingRefusals()).as("bookings refused after their hold was granted").isEmpty();
            Set<String> bookedIds = new HashSet<>();
            for (Attempt attempt : attempts) {
                assertRefusalOrStatus(attempt.hold(), 201);
                if (attempt.booking() != null) {
                    assertRefusalOrStatus(attempt.booking(), 201);
                    if (attempt.booking().status() == 201) {
                        var booking = attempt.booking().json().get("bookings").get(0);
                        assertThat(booking.get("start").asString()).isEqualTo(attempt.start());
                        assertThat(bookedIds.add(booking.get("id").asString())).as("distinct booking ids").isTrue();
                    }
                }
            }
        }

        private static void assertRefusalOrStatus(Api.Response response, int success) {
            assertThat(response.status()).as(response.toString()).isLessThan(500);
            if (response.status() != success) {
                assertThat(response.status()).as(response.toString()).isIn(409, 410);
                assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
                assertThat(response.code()).as(response.toString()).isIn(LOSER_CODES);
                assertThat(response.json().get("status").asInt()).isEqualTo(response.status());
            }
        }
    }
}

@ActiveProfiles("h2")
class BookingRaceOnH2Test extends BookingRaceTest {
}

@ActiveProfiles("postgresql")
class BookingRaceOnPostgresTest extends BookingRaceTest {
}

@ActiveProfiles("mariadb")
class BookingRaceOnMariaDbTest extends BookingRaceTest {
}
