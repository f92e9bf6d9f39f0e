package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Guest;
import io.holdfast.support.ServerTest;
import io.holdfast.support.TcpProxy;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The database goes silent under load (a frozen server or a network partition: its connections stay open and nothing
 * comes back, nothing is reset): the server reaches it through a {@link TcpProxy} the test {@link TcpProxy#stall()
 * stalls}. Every request that needs it, those in flight when it stalled included, answers 503
 * {@code service_unavailable} with {@code Retry-After} within what the configuration promises (below), health says
 * the database is down, and once the stall ends the server serves again: every booking acknowledged before, during
 * the retries or after is in the database exactly once. Without a read timeout on the pool's connections the
 * requests in flight waited for the kernel's TCP timeout (minutes) and took their connections with them.
 *
 * <p>The promise, from the settings of the running server: a step of a request waits at most
 * {@code holdfast.database.read-timeout} for the database's answer, or the pool's {@code connection-timeout} plus
 * its {@code validation-timeout} for a connection; the broken connection or the failed wait makes the health check
 * look, and within {@code holdfast.health.database-timeout} every further step is refused at once. Asserted with
 * slack for a loaded machine.
 */
abstract class DatabaseStallTest extends ServerTest {

    private static final Duration SLACK = Duration.ofSeconds(8);
    private static final int BOOKERS = 3;
    private static final int READERS = 3;

    @Autowired
    DataSource dataSource;
    @Autowired
    Environment environment;

    /** The salon of the test: its first staff member takes the bookings. */
    private Fixtures.Salon salon;

    abstract TcpProxy database();

    @Test
    void requestsAnswer503InBoundedTimeWhileTheDatabaseStallsAndNoBookingIsLostOrDoubled() throws Exception {
        Duration bound = promise().plus(SLACK);
        salon = fixtures.salon();
        List<Long> staff = new ArrayList<>(List.of(salon.staffId()));
        for (int i = 0; i < 3; i++) {
            long more = fixtures.staff(salon.locationId(), List.of(salon.serviceId()));
            fixtures.everyDay(more, "08:00", "18:00");
            staff.add(more);
        }
        String email = "stall-" + UUID.randomUUID() + "@example.com";
        String session = fixtures.session(email);
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        List<Attempt> refusedBookings = Collections.synchronizedList(new ArrayList<>());
        Slots slots = new Slots(salon);

        // Before: bookings acknowledged while the database answers; and a hold to book while it stalls.
        for (int i = 0; i < 2; i++) {
            acknowledged.add(bookingId(book(slots.next(), session, email, UUID.randomUUID().toString())));
        }
        Attempt duringTheStall = new Attempt(held(slots.next()), UUID.randomUUID().toString());

        ExecutorService clients = Executors.newCachedThreadPool();
        List<Timed> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        long[] stalledAt = {Long.MAX_VALUE};
        AtomicInteger days = new AtomicInteger();
        List<Future<?>> load = new ArrayList<>();
        try {
            // Bookers hold a fresh slot and book it; readers read days nobody read before (cache misses): both need
            // the database for every request.
            for (int b = 0; b < BOOKERS; b++) {
                load.add(clients.submit(() -> {
                    while (!stop.get()) {
                        String start = slots.next();
                        Timed hold = timed(clients, bound, "hold", () -> fixtures.hold(Fixtures.clientId(),
                                salon.staffId(), salon.serviceId(), start));
                        answers.add(hold);
                        if (hold.response() == null || hold.response().status() != 201) {
                            continue;
                        }
                        Attempt attempt = new Attempt(hold.response().json(), UUID.randomUUID().toString());
                        Timed booking = timed(clients, bound, "booking", () -> book(attempt, session, email));
                        answers.add(booking);
                        if (booking.response() != null && booking.response().status() == 201) {
                            acknowledged.add(bookingId(booking.response()));
                        } else {
                            refusedBookings.add(attempt);
                        }
                    }
                    return null;
                }));
            }
            for (int r = 0; r < READERS; r++) {
                load.add(clients.submit(() -> {
                    while (!stop.get()) {
                        int n = days.getAndIncrement();
                        long staffId = staff.get(n % staff.size());
                        LocalDate day = LocalDate.now(salon.zone()).plusDays(1 + (n / staff.size()) % 55);
                        if (n >= staff.size() * 55) {
                            return null; // every staff day read once: further reads could be cache hits
                        }
                        answers.add(timed(clients, bound, "availability", () -> api.get("/api/v1/availability?staffId="
                                + staffId + "&serviceId=" + salon.serviceId() + "&date=" + day + "&clientId="
                                + Fixtures.clientId())));
                    }
                    return null;
                }));
            }
            Thread.sleep(1_000);
            assertThat(answers).as("the load ran before the stall").isNotEmpty();
            stalledAt[0] = System.nanoTime();
            database().stall();
            try {
                // The load goes on while the database stalls: until every client has had answers to requests it
                // sent after the stall began (the ones in flight then are the slow case).
                await().atMost(bound.multipliedBy(3)).until(() -> sentAfter(answers, stalledAt[0]) >= 2 * BOOKERS);
                stop.set(true);
                for (Future<?> client : load) {
                    client.get(bound.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
                }

                Timed health = timed(clients, bound, "health", () -> api.get("/api/v1/health"));
                assertThat(health.response().status()).as(health.toString()).isEqualTo(503);
                assertThat(health.response().json().get("database").asString()).isEqualTo("down");
                Timed signIn = timed(clients, bound, "sign-in", () -> Guest.requestCode(api,
                        "stall-" + UUID.randomUUID() + "@example.com", Fixtures.clientAddress()));
                Timed booking = timed(clients, bound, "booking", () -> book(duringTheStall, session, email));
                answers.add(signIn);
                answers.add(booking);
                refusedBookings.add(duringTheStall);
            } finally {
                stop.set(true);
                database().restore();
            }
        } finally {
            clients.shutdownNow();
        }

        List<Timed> late = answers.stream().filter(answer -> answer.response() == null).toList();
        assertThat(late).as("requests without an answer within %s", bound).isEmpty();
        List<Timed> duringStall = answers.stream().filter(answer -> answer.sentAt() > stalledAt[0]).toList();
        assertThat(duringStall).isNotEmpty().allSatisfy(DatabaseStallTest::unavailable);
        for (Timed answer : answers) {
            int status = answer.response().status();
            assertThat(status).as(answer.toString()).isIn(200, 201, 503);
            if (status == 503) {
                unavailable(answer);
            }
        }
        System.out.printf("DatabaseStallTest: %d answers during the load (bound %s), slowest 503 %d ms: %s%n",
                answers.size(), bound, answers.stream().filter(answer -> answer.response().status() == 503)
                        .mapToLong(Timed::millis).max().orElse(0),
                answers.stream().collect(Collectors.groupingBy(answer -> answer.what() + " "
                        + answer.response().status(), Collectors.counting())));

        // After: served again, and the timed-out connections are gone (none is handed out to fail a request).
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/health").status() == 200);
        int bookedBeforeStall = acknowledged.size();
        List<String> bookedWithoutAnswer = new ArrayList<>();
        for (Attempt attempt : refusedBookings) {
            Api.Response retried = book(attempt, session, email);
            if (retried.status() == 409 && "slot_booked".equals(retried.code())) {
                // The commit reached the database but its answer did not (README, "Database down is 503"): the
                // booking stands, once.
                bookedWithoutAnswer.add(attempt.hold().get("start").asString());
                continue;
            }
            assertThat(retried.status()).as("retry of a booking refused during the stall: %s", retried).isEqualTo(201);
            acknowledged.add(bookingId(retried));
        }
        for (int i = 0; i < 2; i++) {
            acknowledged.add(bookingId(book(slots.next(), session, email, UUID.randomUUID().toString())));
        }
        Api.Response read = api.get("/api/v1/availability?staffId=" + salon.staffId() + "&serviceId="
                + salon.serviceId() + "&date=" + LocalDate.now(salon.zone()).plusDays(58) + "&clientId="
                + Fixtures.clientId());
        assertThat(read.status()).as(read.toString()).isEqualTo(200);

        Map<String, Long> inDatabase = JdbcClient.create(dataSource)
                .sql("SELECT id FROM booking WHERE staff_id = ?").param(salon.staffId()).query(String.class).list()
                .stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(acknowledged).as("every acknowledged booking once (%d before the retries)", bookedBeforeStall)
                .doesNotHaveDuplicates().allSatisfy(id -> assertThat(inDatabase.get(id)).as(id).isEqualTo(1L));
        assertThat(inDatabase.values()).allSatisfy(count -> assertThat(count).isEqualTo(1L));
        assertThat(inDatabase).as("no booking beyond the acknowledged ones and those whose answer was lost (%s)",
                bookedWithoutAnswer).hasSize(acknowledged.size() + bookedWithoutAnswer.size());
    }

    /**
     * What the configuration promises (see the class comment): the longer of one read and one wait for the pool,
     * then the check's verdict.
     */
    private Duration promise() {
        HikariDataSource pool = (HikariDataSource) FailFastDataSource.pool(dataSource);
        Duration read = environment.getRequiredProperty("holdfast.database.read-timeout", Duration.class);
        Duration poolWait = Duration.ofMillis(pool.getConnectionTimeout() + pool.getValidationTimeout());
        Duration check = environment.getRequiredProperty("holdfast.health.database-timeout", Duration.class);
        return (read.compareTo(poolWait) > 0 ? read : poolWait).plus(check);
    }

    private static long sentAfter(List<Timed> answers, long stalledAt) {
        synchronized (answers) {
            return answers.stream().filter(answer -> answer.sentAt() > stalledAt && answer.response() != null)
                    .count();
        }
    }

    private static void unavailable(Timed answer) {
        Api.Response response = answer.response();
        assertThat(response).as(answer.what() + " answered").isNotNull();
        assertThat(response.status()).as(answer.toString()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo("service_unavailable");
        assertThat(response.headers().firstValue("Retry-After")).as(answer.toString())
                .hasValueSatisfying(seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 30));
    }

    /** Holds {@code start} and books it; both must succeed (the database answers). */
    private Api.Response book(String start, String session, String email, String key) {
        Api.Response booked = book(new Attempt(held(start), key), session, email);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        return booked;
    }

    private JsonNode held(String start) {
        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), start);
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        return hold.json();
    }

    private Api.Response book(Attempt attempt, String session, String email) {
        return api.post("/api/v1/bookings", Map.of("holdId", attempt.hold().get("holdId").asString(),
                "holdToken", attempt.hold().get("token").asString(), "customer", Map.of("name", "Customer",
                        "email", email)), "Idempotency-Key", attempt.key(), "Authorization", "Bearer " + session);
    }

    private static String bookingId(Api.Response booked) {
        return booked.json().get("bookings").get(0).get("id").asString();
    }

    /** A booking request: its hold and its Idempotency-Key, to be sent again after a 503. */
    private record Attempt(JsonNode hold, String key) {
    }

    /** Free slots of the salon's first staff member, one per call, none twice. */
    private static final class Slots {
        private final Fixtures.Salon salon;
        private final AtomicInteger next = new AtomicInteger();

        Slots(Fixtures.Salon salon) {
            this.salon = salon;
        }

        String next() {
            int n = next.getAndIncrement();
            int minutes = 8 * 60 + 30 * (n % 20);
            return salon.start(LocalDate.now(salon.zone()).plusDays(1 + n / 20),
                    String.format("%02d:%02d", minutes / 60, minutes % 60));
        }
    }

    /** One request and its answer; no answer (null) when none came within the bound. */
    private record Timed(String what, long sentAt, long millis, Api.Response response) {
        @Override
        public String toString() {
            return what + " answered in " + millis + " ms: " + response;
        }
    }

    private static Timed timed(ExecutorService clients, Duration bound, String what, Supplier<Api.Response> request) {
        long sent = System.nanoTime();
        CompletableFuture<Api.Response> answer = CompletableFuture.supplyAsync(request, clients);
        Api.Response response;
        try {
            response = answer.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException notInTime) {
            response = null;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            response = null;
        } catch (ExecutionException failed) {
            throw new IllegalStateException(what + " failed", failed.getCause());
        }
        return new Timed(what, sent, Duration.ofNanos(System.nanoTime() - sent).toMillis(), response);
    }
}

@ActiveProfiles("postgresql")
class DatabaseStallOnPostgresTest extends DatabaseStallTest {

    private static final TcpProxy DATABASE = TcpProxy.start("127.0.0.1",
            Integer.parseInt(System.getenv().getOrDefault("HOLDFAST_TEST_PG_PORT", "5432")));
    private static final String SCHEMA = System.getenv().getOrDefault("HOLDFAST_TEST_SCHEMA", "holdfast_test")
            + "_stall";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url",
                () -> "jdbc:postgresql://127.0.0.1:" + DATABASE.port() + "/test?currentSchema=" + SCHEMA);
        registry.add("spring.flyway.schemas", () -> SCHEMA);
    }

    @Override
    TcpProxy database() {
        return DATABASE;
    }

    @org.junit.jupiter.api.AfterAll
    static void stopProxy() {
        DATABASE.close();
    }
}

@ActiveProfiles("mariadb")
class DatabaseStallOnMariaDbTest extends DatabaseStallTest {

    private static final TcpProxy DATABASE = TcpProxy.start("127.0.0.1",
            Integer.parseInt(System.getenv().getOrDefault("HOLDFAST_TEST_MARIADB_PORT", "3306")));
    private static final String SCHEMA = System.getenv().getOrDefault("HOLDFAST_TEST_SCHEMA", "holdfast_test")
            + "_stall";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url",
                () -> "jdbc:mariadb://127.0.0.1:" + DATABASE.port() + "/" + SCHEMA + "?createDatabaseIfNotExist=true");
    }

    @Override
    TcpProxy database() {
        return DATABASE;
    }

    @org.junit.jupiter.api.AfterAll
    static void stopProxy() {
        DATABASE.close();
    }
}
