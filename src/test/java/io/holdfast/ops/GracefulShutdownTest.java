package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Instance;
import io.holdfast.support.RedisServer;
import io.holdfast.support.SseClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Stopping an instance (a deploy, a scale-down) loses nothing: a booking in flight when shutdown starts is
 * committed and answered 201; new connections are refused from that moment (the load balancer sends them to
 * another instance); open event streams are told to reconnect in a second and ended; and the holds in Redis,
 * which belong to every instance, are left exactly as they were.
 *
 * <p>The booking is held in flight for real: the test locks the {@code booked_granule} table of the instance's
 * PostgreSQL schema, so the booking's insert waits, until the instance is already shutting down.
 */
class GracefulShutdownTest {

    private static final String PG = "jdbc:postgresql://127.0.0.1:"
            + System.getenv().getOrDefault("HOLDFAST_TEST_PG_PORT", "5432") + "/test";
    private static final String SCHEMA = System.getenv().getOrDefault("HOLDFAST_TEST_SCHEMA", "holdfast_test")
            + "_shutdown";

    private static RedisServer redis;

    @BeforeAll
    static void freshSchema() throws SQLException {
        redis = RedisServer.start();
        try (Connection connection = DriverManager.getConnection(PG, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void inFlightBookingCompletesStreamsAreToldToReconnectAndHoldsStay() throws Exception {
        Instance server = Instance.start("--spring.data.redis.url=" + redis.url(),
                "--spring.datasource.url=" + PG + "?currentSchema=" + SCHEMA, "--spring.datasource.username=postgres",
                "--spring.datasource.password=", "--spring.flyway.schemas=" + SCHEMA,
                "--spring.flyway.create-schemas=true", "--holdfast.cache.warm-on-start=false");
        CompletableFuture<Void> closing = null;
        try {
            Api api = server.api();
            Fixtures fixtures = server.fixtures();
            var salon = fixtures.salon();
            LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
            String email = "shutdown@example.com";
            String session = fixtures.session(email);
            JsonNode booked = created(fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                    salon.start(day, "10:00")));
            JsonNode kept = created(fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                    salon.start(day, "14:00")));
            List<String> keptKeys = redisKeysOf(salon.staffId(), kept.get("holdId").asString());
            assertThat(keptKeys).as("the kept hold's record and granule leases").hasSizeGreaterThanOrEqualTo(2);

            SseClient stream = SseClient.open(server.url("/api/v1/live/stream?staffId=" + salon.staffId()
                    + "&date=" + day));
            assertThat(stream.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);

            try (Connection lock = DriverManager.getConnection(PG, "postgres", "")) {
                lock.setAutoCommit(false);
                try (Statement statement = lock.createStatement()) {
                    // EXCLUSIVE lets reads through but makes every insert wait: the booking stops at its first one.
                    statement.execute("LOCK TABLE " + SCHEMA + ".booked_granule IN EXCLUSIVE MODE");
                }
                CompletableFuture<Api.Response> booking = CompletableFuture.supplyAsync(() -> api.post(
                        "/api/v1/bookings", Map.of("holdId", booked.get("holdId").asString(),
                                "holdToken", booked.get("token").asString(),
                                "customer", Map.of("name", "Customer", "email", email)),
                        "Idempotency-Key", UUID.randomUUID().toString(), "Authorization", "Bearer " + session));
                await().atMost(Duration.ofSeconds(20)).until(() -> insertsWaitingForTheLock() > 0);

                closing = CompletableFuture.runAsync(server::close);
                await().atMost(Duration.ofSeconds(20)).until(() -> refused(server.port()));
                assertThatThrownBy(() -> HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(server.url("/api/v1/health"))).build(),
                        HttpResponse.BodyHandlers.ofString()))
                        .as("a new request once shutdown began").isInstanceOf(IOException.class);

                SseClient.Event retry = stream.next(SseClient.RETRY, Duration.ofSeconds(10));
                while (retry != null && !retry.data().equals("1000")) {
                    retry = stream.next(SseClient.RETRY, Duration.ofSeconds(10));
                }
                assertThat(retry).as("the stream is told to reconnect in 1 s").isNotNull();
                assertThat(stream.next(SseClient.END, Duration.ofSeconds(10))).as("and is ended").isNotNull();

                assertThat(booking).as("the booking still waits for the lock").isNotDone();
                lock.rollback();
                Api.Response answer = booking.get(30, TimeUnit.SECONDS);
                assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
                String bookingId = answer.json().get("bookings").get(0).get("id").asString();
                closing.get(60, TimeUnit.SECONDS);
                assertThat(bookingStatus(bookingId)).isEqualTo("CONFIRMED");
            }

            for (String key : keptKeys) {
                long ttl = Long.parseLong(redis.cli("PTTL", key));
                assertThat(ttl).as(key + " is still there with its lease").isPositive();
            }
        } finally {
            if (closing == null) {
                server.close();
            }
        }
    }

    private static JsonNode created(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    /** The hold's record and the granule leases that name it. */
    private static List<String> redisKeysOf(long staffId, String holdId) {
        List<String> keys = new ArrayList<>();
        if (redis.cli("EXISTS", "hf:{h:" + holdId + "}").equals("1")) {
            keys.add("hf:{h:" + holdId + "}");
        }
        for (String key : redis.cli("--scan", "--pattern", "hf:{s:" + staffId + "}:g:*").lines().toList()) {
            if (redis.cli("GET", key).startsWith(holdId)) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static long insertsWaitingForTheLock() throws SQLException {
        try (Connection connection = DriverManager.getConnection(PG, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO booked_granule%'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static boolean refused(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException other) {
            return false;
        }
    }

    private static String bookingStatus(String id) throws SQLException {
        try (Connection connection = DriverManager.getConnection(PG, "postgres", "");
                var statement = connection.prepareStatement("SELECT status FROM " + SCHEMA + ".booking WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).as("booking row " + id).isTrue();
                return rows.getString(1);
            }
        }
    }
}
