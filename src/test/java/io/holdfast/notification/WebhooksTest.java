package io.holdfast.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.standardwebhooks.Webhook;
import io.holdfast.booking.BookingWritten;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.PrometheusText;
import io.holdfast.support.ServerTest;
import io.holdfast.support.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks against a real receiver (the JDK's HTTP server on a loopback port, hence allow-private-targets) and the
 * real database: every delivery verifies with the Standard Webhooks library and the secret (timestamp within 5
 * minutes included), one booking's events arrive in commit order, a receiver that fails (500), then is down
 * (connection refused), then is back gets the event, the listing shows each attempt, and a booking whose
 * transaction rolls back after its outbox row was written sends nothing. Short retry delays and poll interval keep
 * the waits short; nothing here is timed, every wait is for a state.
 */
@TestPropertySource(properties = {"holdfast.webhooks.allow-private-targets=true", "holdfast.webhooks.retry-delay=500ms",
        "holdfast.webhooks.timeout=2s", "holdfast.jobs.poll-interval=250ms"})
@Import(WebhooksTest.RollbackTrigger.class)
abstract class WebhooksTest extends ServerTest {

    static final String ROLL_BACK = "Roll Back";

    /** Fails a booking of the customer {@link #ROLL_BACK} after the outbox was written, inside its transaction. */
    @TestConfiguration(proxyBeanMethods = false)
    static class RollbackTrigger {

        static final AtomicBoolean SAW_OUTBOX_ROW = new AtomicBoolean();

        @Bean
        Object rollbackListener(JdbcClient jdbc) {
            return new Object() {
                @EventListener
                @Order(Ordered.LOWEST_PRECEDENCE)
                void written(BookingWritten event) {
                    if (ROLL_BACK.equals(event.booking().customer().name())) {
                        long rows = jdbc.sql("SELECT COUNT(*) FROM webhook_delivery WHERE booking_id = ?")
                                .param(event.booking().id().toString()).query(Long.class).single();
                        SAW_OUTBOX_ROW.set(rows > 0);
                        throw new IllegalStateException("the test rolls this booking back");
                    }
                }
            };
        }
    }

    @Autowired
    DataSource dataSource;

    @Autowired
    WebhookDelivery delivery;

    private WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void everyEventIsSignedAndOneBookingsEventsArriveInCommitOrder() throws Exception {
        JsonNode hook = createWebhook("http://127.0.0.1:" + receiver.port() + "/hook");
        assertThat(hook.get("secret").asString()).startsWith("whsec_");
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        JsonNode booking = book(salon, salon.start(day, "10:00"), "Ada");
        JsonNode later = hold(salon, salon.start(day, "14:00"));
        assertThat(api.post("/api/v1/bookings/" + id(booking) + "/reschedule", Map.of("holdId",
                later.get("holdId").asString(), "holdToken", later.get("token").asString()), "Manage-Token",
                booking.get("manageToken").asString()).status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/bookings/" + id(booking), "Manage-Token",
                booking.get("manageToken").asString()).status()).isEqualTo(204);

        List<WebhookReceiver.Received> events = await("three events of the booking",
                () -> ofBooking(id(booking)), list -> list.size() >= 3);

        Webhook verifier = new Webhook(hook.get("secret").asString());
        List<String> types = new ArrayList<>();
        for (WebhookReceiver.Received event : events) {
            verifier.verify(event.body(), event.headers()); // throws unless v1 HMAC and timestamp within 5 minutes
            JsonNode body = Api.JSON.readTree(event.body());
            types.add(body.get("type").asString());
            assertThat(body.get("data").get("id").asString()).isEqualTo(id(booking));
            assertThat(body.get("timestamp").asString()).isNotBlank();
        }
        assertThat(types).containsExactly("booking.confirmed", "booking.rescheduled", "booking.cancelled");
        JsonNode moved = Api.JSON.readTree(events.get(1).body()).get("data");
        assertThat(moved.get("start").asString()).isEqualTo(salon.start(day, "14:00"));
        assertThat(moved.get("previous").get("start").asString()).as("where the booking was")
                .isEqualTo(salon.start(day, "10:00"));
        assertThat(moved.get("previous").get("staffId").asLong()).isEqualTo(salon.staffId());
        assertThat(Api.JSON.readTree(events.get(0).body()).get("data").has("previous")).isFalse();
        assertThat(events).extracting(e -> header(e, "webhook-id")).doesNotHaveDuplicates();

        List<JsonNode> deliveries = await("all three delivered in the listing", () -> deliveries(hook),
                list -> list.size() == 3 && allMatch(list, d -> d.get("status").asString().equals("delivered")));
        for (JsonNode delivery : deliveries) {
            assertThat(delivery.get("attempts")).singleElement().satisfies(attempt -> {
                assertThat(attempt.get("outcome").asString()).isEqualTo("delivered");
                assertThat(attempt.get("statusCode").asInt()).isEqualTo(204);
                assertThat(attempt.get("at").asString()).isNotBlank();
            });
        }
        assertThat(deliveries.get(0).get("type").asString()).as("newest first").isEqualTo("booking.cancelled");

        clock.pin(java.time.Instant.now().plus(Duration.ofDays(8))); // past holdfast.webhooks.keep-deliveries (7d)
        assertThat(delivery.forgetFinished()).isGreaterThanOrEqualTo(3);
        assertThat(deliveries(hook)).as("finished deliveries are forgotten after a week").isEmpty();
    }

    @Test
    void aReceiverFailingThenDownThenBackGetsTheEventAndTheListingShowsEveryAttempt() {
        receiver.answer(500);
        try (TcpProxy proxy = TcpProxy.start("127.0.0.1", receiver.port())) {
            JsonNode hook = createWebhook("http://127.0.0.1:" + proxy.port() + "/hook");
            var salon = fixtures.salon();
            JsonNode booking = book(salon, salon.start(LocalDate.now(salon.zone()).plusDays(2), "11:00"), "Bo");

            await("an attempt answered 500", () -> attempts(hook), list -> anyOutcome(list, "http_error"));
            proxy.cut();
            await("an attempt that could not connect", () -> attempts(hook),
                    list -> anyOutcome(list, "connection_error"));
            receiver.answer(200);
            proxy.restore();

            JsonNode delivery = await("delivered in the listing", () -> deliveries(hook),
                    list -> list.size() == 1 && list.get(0).get("status").asString().equals("delivered")).get(0);
            List<String> outcomes = new ArrayList<>();
            delivery.get("attempts").forEach(a -> outcomes.add(a.get("outcome").asString()));
            assertThat(outcomes).first().isEqualTo("http_error");
            assertThat(outcomes).contains("connection_error").last().isEqualTo("delivered");
            assertThat(delivery.get("attempts").get(0).get("statusCode").asInt()).isEqualTo(500);
            assertThat(outcomes.indexOf("delivered")).isEqualTo(outcomes.size() - 1);
            assertThat(delivery.get("attempts").get(outcomes.size() - 1).get("statusCode").asInt()).isEqualTo(200);
            List<WebhookReceiver.Received> reached = ofBooking(id(booking));
            assertThat(reached).as("every attempt that reached the receiver").hasSizeGreaterThanOrEqualTo(2)
                    .extracting(r -> header(r, "webhook-id")).containsOnly(delivery.get("id").asString());
        }
    }

    @Test
    void aReceiverThatNeverAnswersTimesOutOffTheBookingsPath() {
        try (TcpProxy proxy = TcpProxy.start("127.0.0.1", receiver.port())) {
            proxy.stall(); // connections are accepted, no byte ever comes back
            JsonNode hook = createWebhook("http://127.0.0.1:" + proxy.port() + "/hook");
            var salon = fixtures.salon();
            LocalDate day = LocalDate.now(salon.zone()).plusDays(2);

            // Both bookings answer while the receiver hangs: the booking only wrote the outbox row.
            book(salon, salon.start(day, "13:00"), "Di");
            book(salon, salon.start(day, "13:30"), "Ed");

            List<JsonNode> attempts = await("attempts that timed out", () -> attempts(hook),
                    list -> anyOutcome(list, "timeout"));
            assertThat(attempts).filteredOn(a -> a.get("outcome").asString().equals("timeout"))
                    .allSatisfy(a -> assertThat(a.has("statusCode")).isFalse());
            assertThat(deliveries(hook)).hasSize(2).allSatisfy(d -> {
                assertThat(d.get("status").asString()).isEqualTo("pending");
            });
            PrometheusText metrics = PrometheusText.parse(api.get("/actuator/prometheus").body());
            assertThat(metrics.sum("holdfast_webhooks_deliveries_total", "outcome", "retried")).isPositive();
            assertThat(metrics.type("holdfast_webhooks_backlog")).isEqualTo("gauge");
            assertThat(api.admin("DELETE", "/api/v1/admin/webhooks/" + hook.get("id").asLong(), null).status())
                    .isEqualTo(204);
        }
    }

    /**
     * A second instance's scheduler (same table, same task, its own name and threads) competing for the deliveries:
     * with a slow receiver both have work, and still every event reaches the receiver exactly once, in one attempt.
     */
    @Test
    void twoInstancesShareTheDeliveriesAndNoneIsSentTwice() {
        receiver.delay(200);
        JsonNode hook = createWebhook("http://127.0.0.1:" + receiver.port() + "/hook");
        AtomicInteger bySecond = new AtomicInteger();
        Scheduler second = Scheduler.create(dataSource, Tasks.custom(WebhookDelivery.TASK, Void.class)
                        .execute((instance, context) -> {
                            bySecond.incrementAndGet();
                            return delivery.attempt(instance.getId());
                        }))
                .schedulerName(new SchedulerName.Fixed("second-instance")).pollingInterval(Duration.ofMillis(100))
                .threads(4).alwaysPersistTimestampInUTC().build();
        second.start();
        try {
            var salon = fixtures.salon();
            List<String> bookingIds = new ArrayList<>();
            String email = "hook-pair-" + UUID.randomUUID() + "@example.com";
            for (int i = 0; i < 24; i++) {
                LocalDate day = LocalDate.now(salon.zone()).plusDays(2 + i / 12);
                String time = String.format("%02d:%02d", 9 + (i % 12) / 2, (i % 2) * 30);
                bookingIds.add(id(bookAs(salon, salon.start(day, time), "Pair " + i, email)));
            }

            List<JsonNode> deliveries = await("every booking's event delivered", () -> deliveries(hook),
                    list -> list.size() == bookingIds.size()
                            && allMatch(list, d -> d.get("status").asString().equals("delivered")));

            assertThat(deliveries).allSatisfy(d -> assertThat(d.get("attempts")).hasSize(1));
            List<String> received = receiver.received().stream()
                    .filter(r -> bookingIds.contains(Api.JSON.readTree(r.body()).get("data").get("id").asString()))
                    .map(r -> header(r, "webhook-id")).toList();
            assertThat(received).hasSize(bookingIds.size()).doesNotHaveDuplicates();
            assertThat(bySecond.get()).as("deliveries the second instance ran").isPositive();
        } finally {
            second.stop();
        }
    }

    @Test
    void aBookingWhoseTransactionRollsBackSendsNothing() {
        JsonNode hook = createWebhook("http://127.0.0.1:" + receiver.port() + "/hook");
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        RollbackTrigger.SAW_OUTBOX_ROW.set(false);

        Api.Response failed = tryBook(salon, salon.start(day, "09:00"), ROLL_BACK);
        assertThat(failed.status()).as(failed.toString()).isEqualTo(500);
        assertThat(RollbackTrigger.SAW_OUTBOX_ROW).as("the outbox row was written before the rollback").isTrue();
        JsonNode committed = book(salon, salon.start(day, "12:00"), "Cy");

        await("the committed booking's event", () -> ofBooking(id(committed)), list -> !list.isEmpty());
        assertThat(receiver.received()).extracting(r -> Api.JSON.readTree(r.body()).get("data").get("customer")
                .get("name").asString()).doesNotContain(ROLL_BACK);
        assertThat(deliveries(hook)).singleElement()
                .satisfies(d -> assertThat(d.get("bookingId").asString()).isEqualTo(id(committed)));
    }

    @Test
    void webhooksAreListedWithoutSecretsAndDeletedWithTheirDeliveries() {
        JsonNode hook = createWebhook("http://127.0.0.1:" + receiver.port() + "/hook");
        long id = hook.get("id").asLong();

        Api.Response list = api.admin("GET", "/api/v1/admin/webhooks", null);
        assertThat(list.status()).isEqualTo(200);
        JsonNode listed = null;
        for (JsonNode webhook : list.json()) {
            if (webhook.get("id").asLong() == id) {
                listed = webhook;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("url").asString()).isEqualTo(hook.get("url").asString());
        assertThat(listed.has("secret")).isFalse();

        assertThat(api.admin("DELETE", "/api/v1/admin/webhooks/" + id, null).status()).isEqualTo(204);
        assertThat(api.admin("DELETE", "/api/v1/admin/webhooks/" + id, null).status()).isEqualTo(404);
        assertThat(api.admin("GET", "/api/v1/admin/webhooks/" + id + "/deliveries", null).code())
                .isEqualTo("not_found");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private JsonNode createWebhook(String url) {
        Api.Response created = api.admin("POST", "/api/v1/admin/webhooks", Map.of("url", url,
                "events", List.of("booking.confirmed", "booking.rescheduled", "booking.cancelled")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private List<JsonNode> deliveries(JsonNode hook) {
        Api.Response listed = api.admin("GET", "/api/v1/admin/webhooks/" + hook.get("id").asLong() + "/deliveries",
                null);
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        List<JsonNode> deliveries = new ArrayList<>();
        listed.json().forEach(deliveries::add);
        return deliveries;
    }

    private List<JsonNode> attempts(JsonNode hook) {
        List<JsonNode> attempts = new ArrayList<>();
        deliveries(hook).forEach(d -> d.get("attempts").forEach(attempts::add));
        return attempts;
    }

    private static boolean anyOutcome(List<JsonNode> attempts, String outcome) {
        return attempts.stream().anyMatch(a -> a.get("outcome").asString().equals(outcome));
    }

    private static boolean allMatch(List<JsonNode> nodes, Predicate<JsonNode> test) {
        return nodes.stream().allMatch(test);
    }

    /** What the receiver got about this booking, in arrival order. */
    private List<WebhookReceiver.Received> ofBooking(String bookingId) {
        return receiver.received().stream()
                .filter(r -> Api.JSON.readTree(r.body()).get("data").get("id").asString().equals(bookingId)).toList();
    }

    private static String header(WebhookReceiver.Received received, String name) {
        return received.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElseThrow();
    }

    private static <T> T await(String what, Supplier<T> value, Predicate<T> done) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            T now = value.get();
            if (done.test(now)) {
                return now;
            }
            assertThat(System.currentTimeMillis()).as("waiting for %s; last seen %s", what, now).isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private JsonNode bookAs(Fixtures.Salon salon, String start, String name, String email) {
        JsonNode hold = hold(salon, start);
        Api.Response booked = api.post("/api/v1/bookings", Map.of("holdId", hold.get("holdId").asString(),
                "holdToken", hold.get("token").asString(), "customer", Map.of("name", name, "email", email)),
                "Idempotency-Key", UUID.randomUUID().toString(), "Authorization", "Bearer " + fixtures.session(email));
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        return booked.json().get("bookings").get(0);
    }

    private JsonNode book(Fixtures.Salon salon, String start, String name) {
        Api.Response booked = tryBook(salon, start, name);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        return booked.json().get("bookings").get(0);
    }

    private Api.Response tryBook(Fixtures.Salon salon, String start, String name) {
        String email = "hook-" + UUID.randomUUID() + "@example.com";
        JsonNode hold = hold(salon, start);
        return api.post("/api/v1/bookings", Map.of("holdId", hold.get("holdId").asString(),
                "holdToken", hold.get("token").asString(), "customer", Map.of("name", name, "email", email)),
                "Idempotency-Key", UUID.randomUUID().toString(), "Authorization", "Bearer " + fixtures.session(email));
    }

    private JsonNode hold(Fixtures.Salon salon, String start) {
        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), start);
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        return hold.json();
    }

    private static String id(JsonNode booking) {
        return booking.get("id").asString();
    }
}

/*
 * Its own in-memory database: this context has properties of its own, so it is a second server, and on the shared
 * jdbc:h2:mem:holdfast its Flyway clean would wipe the data (guest sessions among it) of the first, which the context
 * cache keeps for later tests.
 */
@ActiveProfiles("h2")
@org.springframework.test.context.TestPropertySource(properties =
        "spring.datasource.url=jdbc:h2:mem:holdfast-webhooks;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000")
class WebhooksOnH2Test extends WebhooksTest {
}

@ActiveProfiles("postgresql")
class WebhooksOnPostgresTest extends WebhooksTest {
}

@ActiveProfiles("mariadb")
class WebhooksOnMariaDbTest extends WebhooksTest {
}
