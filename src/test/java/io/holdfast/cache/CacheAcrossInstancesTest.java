package io.holdfast.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The two-level cache across two servers sharing Redis and the database: a booking made on one is shown booked by
 * the other at once (its local copy was dropped before the booking's 201), a load that raced with the booking never
 * puts its stale day back, and concurrent misses load once per instance (and once in all when one instance is
 * already loading).
 */
class CacheAcrossInstancesTest {

    private static TwoInstances servers;

    @BeforeAll
    static void start() {
        servers = new TwoInstances();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @Test
    void aBookingOnOneInstanceIsShownBookedOnTheOtherAtOnce() {
        var a = servers.a;
        var b = servers.b;
        var salon = a.fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        String[] times = {"08:00", "09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00", "17:00"};
        double localHitsBefore = b.counter("holdfast.cache.requests", "cache", "availability", "level", "local",
                "result", "hit");
        for (int round = 0; round < times.length; round++) {
            // B reads the day twice: the second answer comes from its local memory.
            assertThat(states(b.api, salon, day)).containsEntry(times[round], "free");
            assertThat(states(b.api, salon, day)).containsEntry(times[round], "free");
            Api.Response hold = a.fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                    salon.start(day, times[round]));
            assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
            Api.Response booking = a.fixtures.book(hold.json(), "round" + round + "@example.com");
            assertThat(booking.status()).as(booking.toString()).isEqualTo(201);

            Map<String, String> onB = states(b.api, salon, day);
            for (int booked = 0; booked <= round; booked++) {
                assertThat(onB).as("round %d on B", round).containsEntry(times[booked], "booked");
            }
        }
        assertThat(b.counter("holdfast.cache.requests", "cache", "availability", "level", "local", "result", "hit")
                - localHitsBefore).as("B answered from its local level").isGreaterThanOrEqualTo(times.length);
    }

    @Test
    void aCancellationOnOneInstanceFreesTheTimeOnTheOtherAtOnce() {
        var a = servers.a;
        var b = servers.b;
        var salon = a.fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        Api.Response hold = a.fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "10:00"));
        JsonNode booking = a.fixtures.book(hold.json(), "c@example.com").json().get("bookings").get(0);
        assertThat(states(b.api, salon, day)).containsEntry("10:00", "booked");
        assertThat(states(b.api, salon, day)).containsEntry("10:00", "booked");

        Api.Response cancelled = a.api.delete("/api/v1/bookings/" + booking.get("id").asString(), "Manage-Token",
                booking.get("manageToken").asString());
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(204);

        assertThat(states(b.api, salon, day)).containsEntry("10:00", "free");
    }

    @Test
    void catalogueAndScheduleChangesOnOneInstanceShowOnTheOtherAtOnce() {
        var a = servers.a;
        var b = servers.b;
        var salon = a.fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        assertThat(states(b.api, salon, day)).containsKey("08:00");
        int servicesBefore = b.api.get("/api/v1/services").json().size();

        a.fixtures.everyDay(salon.staffId(), "12:00", "14:00");
        long service = a.fixtures.service(45, 0, 0);

        assertThat(states(b.api, salon, day).keySet()).containsExactly("12:00", "12:30", "13:00", "13:30");
        JsonNode services = b.api.get("/api/v1/services").json();
        assertThat(services.size()).isEqualTo(servicesBefore + 1);
        assertThat(services.get(services.size() - 1).get("id").asLong()).isEqualTo(service);
    }

    @Test
    void aLoadThatRacedWithABookingNeverPutsItsStaleDayBack() throws Exception {
        var a = servers.a;
        var b = servers.b;
        var salon = a.fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(4);
        Api.Response hold = a.fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "10:00"));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        clearCaches();

        SqlProbe.Barrier barrier = a.sql.holdNextBookedRead();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        Future<Map<String, String>> racingRead = reader.submit(() -> states(a.api, salon, day));
        assertThat(barrier.awaitReached()).as("the read is loading the day from the database").isTrue();

        // The load has read the bookings (none yet); now the booking commits and invalidates, then the load ends.
        Api.Response booking = a.fixtures.book(hold.json(), "race@example.com");
        assertThat(booking.status()).as(booking.toString()).isEqualTo(201);
        barrier.release();
        Map<String, String> raced = racingRead.get();
        reader.shutdown();

        assertThat(raced).as("the racing read loaded the day before the booking").containsEntry("10:00", "free");
        assertThat(states(a.api, salon, day)).as("A afterwards").containsEntry("10:00", "booked");
        assertThat(states(b.api, salon, day)).as("B afterwards (from Redis)").containsEntry("10:00", "booked");
        assertThat(states(a.api, salon, day)).as("A again").containsEntry("10:00", "booked");
    }

    @Test
    void aHundredConcurrentMissesOnEachInstanceLoadAtMostOncePerInstance() throws Exception {
        var a = servers.a;
        var b = servers.b;
        var salon = a.fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(5);
        clearCaches();
        a.sql.reset();
        b.sql.reset();

        List<Map<String, String>> answers = concurrently(100, a.api, salon, day);
        answers.addAll(concurrently(100, b.api, salon, day));

        System.out.printf("stampede: booked-granule reads A=%d B=%d%n", a.sql.bookedReads(), b.sql.bookedReads());
        assertThat(answers).hasSize(200).allMatch(answer -> answer.equals(answers.get(0)));
        assertThat(a.sql.bookedReads()).as("loads on A").isLessThanOrEqualTo(1);
        assertThat(b.sql.bookedReads()).as("loads on B").isLessThanOrEqualTo(1);
        assertThat(a.sql.bookedReads() + b.sql.bookedReads()).as("loads in all").isGreaterThanOrEqualTo(1);
    }

    @Test
    void missesWaitForTheInstanceAlreadyLoadingTheKey() throws Exception {
        var a = servers.a;
        var b = servers.b;
        var salon = a.fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(6);
        clearCaches();
        a.sql.reset();
        b.sql.reset();
        double waitsBefore = b.counter("holdfast.cache.load.waits", "cache", "availability");

        SqlProbe.Barrier barrier = a.sql.holdNextBookedRead();
        ExecutorService pool = Executors.newCachedThreadPool();
        Future<Map<String, String>> loading = pool.submit(() -> states(a.api, salon, day));
        assertThat(barrier.awaitReached()).isTrue();
        Future<List<Map<String, String>>> onB = pool.submit(() -> concurrently(100, b.api, salon, day));
        while (b.counter("holdfast.cache.load.waits", "cache", "availability") == waitsBefore) {
            Thread.sleep(5);
        }
        barrier.release();
        Map<String, String> fromA = loading.get();
        List<Map<String, String>> fromB = onB.get();
        pool.shutdown();

        assertThat(fromB).hasSize(100).allMatch(fromA::equals);
        assertThat(a.sql.bookedReads()).as("A loaded").isEqualTo(1);
        assertThat(b.sql.bookedReads()).as("B waited for A instead of loading").isZero();
    }

    private static void clearCaches() {
        Api.Response cleared = servers.a.api.admin("DELETE", "/api/v1/admin/cache?pattern=*", null);
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
    }

    private static List<Map<String, String>> concurrently(int clients, Api api, Fixtures.Salon salon, LocalDate day)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Map<String, String>>> futures = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            futures.add(pool.submit((Callable<Map<String, String>>) () -> {
                start.await();
                return states(api, salon, day);
            }));
        }
        start.countDown();
        List<Map<String, String>> answers = new ArrayList<>();
        for (Future<Map<String, String>> future : futures) {
            answers.add(future.get());
        }
        pool.shutdown();
        return answers;
    }

    static Map<String, String> states(Api api, Fixtures.Salon salon, LocalDate day) {
        Api.Response response = api.get("/api/v1/availability?staffId=" + salon.staffId() + "&serviceId="
                + salon.serviceId() + "&date=" + day);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        Map<String, String> states = new java.util.LinkedHashMap<>();
        response.json().get("slots").forEach(slot -> states.put(slot.get("time").asString(),
                slot.get("state").asString()));
        return states;
    }
}
