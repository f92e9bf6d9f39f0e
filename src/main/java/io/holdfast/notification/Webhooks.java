package io.holdfast.notification;

import static io.holdfast.UtcColumns.fromColumn;
import static io.holdfast.UtcColumns.toColumn;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import io.holdfast.booking.Booking;
import io.holdfast.booking.BookingWritten;
import io.holdfast.booking.Bookings;
import io.holdfast.web.WireTime;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook subscriptions and their outbox (API.md "Webhooks"). Each booking change ({@link BookingWritten}, published
 * inside the booking's transaction) writes one {@code webhook_delivery} row per subscribed webhook, with the body it
 * will send, and plans its delivery job in the same transaction: a booking that rolls back sends nothing, one that
 * commits cannot lose its events, and the booking itself only pays for a few inserts, never for a receiver.
 * {@link WebhookDelivery} sends them after the commit.
 */
@Service
public class Webhooks {

    /** The event types of API.md, by the booking change that causes them. */
    static final Map<BookingWritten.Change, String> TYPES = Map.of(
            BookingWritten.Change.CONFIRMED, "booking.confirmed",
            BookingWritten.Change.RESCHEDULED, "booking.rescheduled",
            BookingWritten.Change.CANCELLED, "booking.cancelled");
    private static final Set<String> EVENT_TYPES = Set.of("booking.confirmed", "booking.rescheduled",
            "booking.cancelled");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final SchedulerClient jobs;
    private final WebhookTargets targets;
    private final WebhookSecretSeal seal;
    private final Bookings bookings;
    private final Clock clock;
    private final JobConfiguration.JobRunner runner;

    Webhooks(JdbcClient jdbc, JdbcTemplate batch, SchedulerClient jobs, WebhookTargets targets, WebhookSecretSeal seal, Bookings bookings,
            Clock clock, JobConfiguration.JobRunner runner) {
        this.runner = runner;
        this.jdbc = jdbc;
        this.batch = batch;
        this.jobs = jobs;
        this.targets = targets;
        this.seal = seal;
        this.bookings = bookings;
        this.clock = clock;
    }

    /** A subscription; {@code secret} only in the answer that created it. */
    public record Webhook(long id, String url, List<String> events, Instant createdAt, String secret) {
    }

    /** One delivery (one event to one webhook) with its attempts, oldest attempt first. */
    public record Delivery(String id, String type, String bookingId, Instant createdAt, String status,
            Instant nextAttemptAt, Instant finishedAt, List<Attempt> attempts) {
    }

    /**
     * One attempt.
     *
     * @param outcome    {@code delivered} (2xx), {@code http_error} (any other status), {@code timeout},
     *                   {@code connection_error} or {@code refused} (the URL now points at an internal address)
     * @param statusCode the receiver's HTTP status, when it answered
     */
    public record Attempt(int attempt, Instant at, String outcome, Integer statusCode, String error, long durationMs) {
    }

    @Transactional
    public Webhook create(String url, List<String> events) {
        if (events == null || events.isEmpty()) {
            throw WebhookRefused.invalid("events: expected a non-empty list of " + sorted(EVENT_TYPES));
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String event : events) {
            if (!EVENT_TYPES.contains(event)) {
                throw WebhookRefused.invalid("events: expected any of " + sorted(EVENT_TYPES) + ", got '" + event + "'");
            }
            chosen.add(event);
        }
        URI target = targets.require(url);
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        Instant now = clock.instant();
        GeneratedKeyHolder id = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO webhook (url, events, sealed_secret, created_at) VALUES (?, ?, ?, ?)")
                .params(target.toString(), String.join(",", chosen), seal.seal(secret), toColumn(now))
                .update(id, "id");
        return new Webhook(id.getKey().longValue(), target.toString(), List.copyOf(chosen), now, secret);
    }

    public List<Webhook> list() {
        return jdbc.sql("SELECT id, url, events, created_at FROM webhook ORDER BY id")
                .query((rs, n) -> new Webhook(rs.getLong(1), rs.getString(2), Arrays.asList(rs.getString(3).split(",")),
                        fromColumn(rs.getObject(4, LocalDateTime.class)), null))
                .list();
    }

    /** Deletes the webhook with its deliveries; planned delivery jobs find nothing and end. */
    @Transactional
    public void delete(long id) {
        requireExists(id);
        jdbc.sql("DELETE FROM webhook_attempt WHERE message_id IN (SELECT message_id FROM webhook_delivery "
                + "WHERE webhook_id = ?)").param(id).update();
        jdbc.sql("DELETE FROM webhook_delivery WHERE webhook_id = ?").param(id).update();
        jdbc.sql("DELETE FROM webhook WHERE id = ?").param(id).update();
    }

    /** The webhook's newest deliveries first, each with its attempts. */
    public List<Delivery> deliveries(long webhookId, int limit) {
        requireExists(webhookId);
        List<Delivery> deliveries = jdbc.sql("""
                SELECT message_id, event_type, booking_id, created_at, status, next_attempt_at, finished_at
                FROM webhook_delivery WHERE webhook_id = ? ORDER BY seq DESC""").param(webhookId)
                .withMaxRows(Math.max(1, limit))
                .query((rs, n) -> new Delivery(rs.getString(1), rs.getString(2), rs.getString(3),
                        fromColumn(rs.getObject(4, LocalDateTime.class)), rs.getString(5),
                        fromColumn(rs.getObject(6, LocalDateTime.class)), fromColumn(rs.getObject(7, LocalDateTime.class)),
                        new ArrayList<>()))
                .list();
        for (Delivery delivery : deliveries) {
            delivery.attempts().addAll(jdbc.sql("""
                    SELECT attempt, attempted_at, outcome, status_code, error, duration_ms FROM webhook_attempt
                    WHERE message_id = ? ORDER BY attempt""").param(delivery.id())
                    .query((rs, n) -> new Attempt(rs.getInt(1), fromColumn(rs.getObject(2, LocalDateTime.class)),
                            rs.getString(3), (Integer) rs.getObject(4, Integer.class), rs.getString(5), rs.getLong(6)))
                    .list());
        }
        return deliveries;
    }

    private void requireExists(long id) {
        if (jdbc.sql("SELECT COUNT(*) FROM webhook WHERE id = ?").param(id).query(Long.class).single() == 0) {
            throw WebhookRefused.notFound(id);
        }
    }

    /**
     * Writes the outbox rows of a booking change, inside its transaction. Only inserts into the same database: a
     * listener here that threw or waited would fail or slow the booking.
     */
    @EventListener
    void written(BookingWritten event) {
        String type = TYPES.get(event.change());
        List<Long> subscribed = jdbc.sql("SELECT id, events FROM webhook")
                .query((rs, n) -> Arrays.asList(rs.getString(2).split(",")).contains(type) ? rs.getLong(1) : null)
                .list().stream().filter(java.util.Objects::nonNull).toList();
        if (subscribed.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        String body = JSON.writeValueAsString(body(type, now, event.booking(), event.previous()));
        String bookingId = event.booking().id().toString();
        // "msg_" and a random id: the webhook-id header, the same on every attempt so receivers can drop duplicates.
        List<String> messageIds = subscribed.stream()
                .map(webhookId -> "msg_" + UUID.randomUUID().toString().replace("-", "")).toList();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < subscribed.size(); i++) {
            rows.add(new Object[] {messageIds.get(i), subscribed.get(i), bookingId, type, body, toColumn(now),
                    toColumn(now)});
        }
        // One JDBC batch for the outbox rows and one for their jobs, whatever the number of webhooks: this is the
        // booking's own transaction, so each statement here is latency the guest waits for (db-scheduler's single
        // schedule() would also read before each insert).
        batch.batchUpdate("""
                INSERT INTO webhook_delivery (message_id, webhook_id, booking_id, event_type, payload, created_at,
                                              status, attempts, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?)""", rows);
        jobs.scheduleBatch(messageIds.stream()
                .<TaskInstance<?>>map(messageId -> new TaskInstance<Void>(WebhookDelivery.TASK, messageId)).toList(), now);
        // Due at once: this instance looks for them as soon as the booking committed, not at its next poll.
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    runner.wakeUp();
                }
            });
        }
    }

    /**
     * The Standard Webhooks body: {@code {type, timestamp, data}}, times in the location's offset as in the API. A
     * reschedule also says where the booking was ({@code data.previous}: staffId, start, end), so a receiver that
     * mirrors bookings can free the old time without having kept it.
     */
    private Map<String, Object> body(String type, Instant at, Booking booking, Booking previous) {
        ZoneId zone = bookings.zoneOf(booking.staffId());
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("name", booking.customer().name());
        customer.put("email", booking.customer().email());
        if (booking.customer().phone() != null) {
            customer.put("phone", booking.customer().phone());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", booking.id().toString());
        data.put("status", booking.status().name().toLowerCase(java.util.Locale.ROOT));
        data.put("staffId", booking.staffId());
        data.put("serviceId", booking.serviceId());
        data.put("start", WireTime.format(booking.start(), zone));
        data.put("end", WireTime.format(booking.end(), zone));
        data.put("customer", customer);
        if (booking.notes() != null) {
            data.put("notes", booking.notes());
        }
        if (previous != null) {
            ZoneId previousZone = bookings.zoneOf(previous.staffId());
            Map<String, Object> was = new LinkedHashMap<>();
            was.put("staffId", previous.staffId());
            was.put("start", WireTime.format(previous.start(), previousZone));
            was.put("end", WireTime.format(previous.end(), previousZone));
            data.put("previous", was);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", at.toString()); // UTC, as in the Standard Webhooks examples
        body.put("data", data);
        return body;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
