package io.holdfast.notification;

import static io.holdfast.UtcColumns.fromColumn;
import static io.holdfast.UtcColumns.toColumn;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Sends one outbox row ({@code webhook_delivery}) when its db-scheduler job runs: the job is picked by one instance
 * only (so no two send the same attempt) and revived elsewhere when its instance dies mid-attempt (so nothing is
 * lost; the attempt is then repeated: at least once, with the same {@code webhook-id} for receivers to drop
 * duplicates). Each attempt is signed the Standard Webhooks way with the library of that name:
 * {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, the timestamp being the attempt's.
 *
 * <p>A 2xx ends it; a timeout, a connection error or any other status is recorded and retried after
 * {@code holdfast.webhooks.retry-delay}, doubling up to an hour, until {@code retry-for} (24 h) after the event;
 * then the delivery is {@code failed}. Events of one booking go out in commit order: while an earlier one to the same
 * webhook is still pending, a later one waits without spending an attempt.
 */
@Component
class WebhookDelivery {

    static final String TASK = "webhook-delivery";
    static final String CLEANUP_TASK = "webhook-delivery-cleanup";
    /** How soon a delivery waiting for an earlier event of its booking looks again. */
    static final Duration ORDER_WAIT = Duration.ofSeconds(2);
    private static final int MAX_ERROR = 500;
    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);

    private final JdbcClient jdbc;
    private final WebhookTargets targets;
    private final WebhookSecretSeal seal;
    private final WebhookSettings settings;
    private final Clock clock;
    private final HttpClient http;
    private final MeterRegistry metrics;

    WebhookDelivery(JdbcClient jdbc, WebhookTargets targets, WebhookSecretSeal seal, WebhookSettings settings,
            Clock clock, MeterRegistry metrics) {
        this.jdbc = jdbc;
        this.targets = targets;
        this.seal = seal;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        // Never follow redirects: a public URL must not bounce a signed delivery to an internal address.
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        Gauge.builder("holdfast.webhooks.backlog", () -> backlog(true))
                .description("Webhook deliveries waiting for a retry after a failed attempt, all instances")
                .register(metrics);
        Gauge.builder("holdfast.webhooks.pending", () -> backlog(false))
                .description("Webhook deliveries not yet delivered or given up, all instances").register(metrics);
    }

    private record Pending(long seq, long webhookId, String bookingId, String type, String payload, Instant createdAt,
            int attempts, String url, String sealedSecret) {
    }

    private record Outcome(String outcome, Integer statusCode, String error) {

        boolean delivered() {
            return outcome.equals("delivered");
        }
    }

    /** Runs one attempt of the delivery; the answer tells db-scheduler whether the job ends or when it runs again. */
    CompletionHandler<Void> attempt(String messageId) {
        Optional<Pending> found = jdbc.sql("""
                SELECT d.seq, d.webhook_id, d.booking_id, d.event_type, d.payload, d.created_at, d.attempts, w.url,
                       w.sealed_secret
                FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id
                WHERE d.message_id = ? AND d.status = 'pending'""").param(messageId)
                .query((rs, n) -> new Pending(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), fromColumn(rs.getObject(6, LocalDateTime.class)), rs.getInt(7),
                        rs.getString(8), rs.getString(9)))
                .optional();
        if (found.isEmpty()) {
            return remove(); // delivered, given up, or its webhook deleted
        }
        Pending delivery = found.get();
        if (earlierPending(delivery)) {
            return rescheduleAt(clock.instant().plus(ORDER_WAIT));
        }
        Instant started = clock.instant();
        long nanos = System.nanoTime();
        Outcome outcome = send(messageId, delivery);
        long durationMs = Duration.ofNanos(System.nanoTime() - nanos).toMillis();
        int attempt = delivery.attempts() + 1;
        jdbc.sql("""
                INSERT INTO webhook_attempt (message_id, attempt, attempted_at, outcome, status_code, error, duration_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(messageId, attempt, toColumn(started), outcome.outcome(), outcome.statusCode(),
                        outcome.error(), durationMs)
                .update();
        Instant now = clock.instant();
        if (outcome.delivered()) {
            finish(messageId, attempt, "delivered", now);
            count("delivered");
            return remove();
        }
        Instant next = now.plus(settings.backOff(attempt));
        if (outcome.outcome().equals("refused") || next.isAfter(delivery.createdAt().plus(settings.retryFor()))) {
            finish(messageId, attempt, "failed", now);
            count("failed");
            log.warn("Webhook delivery {} ({} of booking {}) to webhook {} given up after {} attempts: {}", messageId,
                    delivery.type(), delivery.bookingId(), delivery.webhookId(), attempt, outcome.error());
            return remove();
        }
        jdbc.sql("UPDATE webhook_delivery SET attempts = ?, next_attempt_at = ? WHERE message_id = ?")
                .params(attempt, toColumn(next), messageId).update();
        count("retried");
        log.info("Webhook delivery {} to webhook {} failed ({}), attempt {}; next at {}", messageId,
                delivery.webhookId(), outcome.error(), attempt, next);
        return rescheduleAt(next);
    }

    /** Deletes deliveries delivered or given up longer than {@code keep-deliveries} ago, with their attempts. */
    int forgetFinished() {
        var before = toColumn(clock.instant().minus(settings.keepDeliveries()));
        jdbc.sql("DELETE FROM webhook_attempt WHERE message_id IN (SELECT message_id FROM webhook_delivery "
                + "WHERE status <> 'pending' AND finished_at < ?)").param(before).update();
        int forgotten = jdbc.sql("DELETE FROM webhook_delivery WHERE status <> 'pending' AND finished_at < ?")
                .param(before).update();
        if (forgotten > 0) {
            log.info("Forgot {} webhook deliveries finished before {}", forgotten, before);
        }
        return forgotten;
    }

    private boolean earlierPending(Pending delivery) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM webhook_delivery
                WHERE webhook_id = ? AND booking_id = ? AND status = 'pending' AND seq < ?""")
                .params(delivery.webhookId(), delivery.bookingId(), delivery.seq()).query(Long.class).single() > 0;
    }

    private Outcome send(String messageId, Pending delivery) {
        URI url = URI.create(delivery.url());
        Optional<String> forbidden = targets.forbiddenAddress(url.getHost());
        if (forbidden.isPresent()) {
            return new Outcome("refused", null, forbidden.get());
        }
        String secret = seal.open(delivery.sealedSecret());
        if (secret == null) {
            return new Outcome("refused", null, "the webhook's secret cannot be opened (another server secret)");
        }
        long timestamp = clock.instant().getEpochSecond();
        String signature;
        try {
            signature = new Webhook(secret).sign(messageId, timestamp, delivery.payload());
        } catch (WebhookSigningException impossible) {
            throw new IllegalStateException(impossible);
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Holdfast-Webhooks")
                .header("webhook-id", messageId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(delivery.payload(), StandardCharsets.UTF_8)).build();
        try {
            // The answer's body is not read: a receiver that streams megabytes cannot tie up the job thread.
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status >= 200 && status < 300 ? new Outcome("delivered", status, null)
                    : new Outcome("http_error", status, "HTTP " + status);
        } catch (HttpConnectTimeoutException | ConnectException unreachable) {
            return new Outcome("connection_error", null, shorten(describe(unreachable)));
        } catch (HttpTimeoutException slow) {
            return new Outcome("timeout", null, "no answer within " + settings.timeout());
        } catch (IOException broken) {
            return new Outcome("connection_error", null, shorten(describe(broken)));
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return new Outcome("connection_error", null, "interrupted: the instance is stopping");
        }
    }

    private void finish(String messageId, int attempts, String status, Instant at) {
        jdbc.sql("UPDATE webhook_delivery SET status = ?, attempts = ?, next_attempt_at = NULL, finished_at = ? "
                + "WHERE message_id = ?").params(status, attempts, toColumn(at), messageId).update();
    }

    private static CompletionHandler<Void> remove() {
        return (complete, operations) -> operations.remove();
    }

    private static CompletionHandler<Void> rescheduleAt(Instant next) {
        return (complete, operations) -> operations.reschedule(complete, next);
    }

    private void count(String outcome) {
        Counter.builder("holdfast.webhooks.deliveries").tag("outcome", outcome)
                .description("Webhook delivery attempts: delivered, retried (failed, tried again later), failed (given up)")
                .register(metrics).increment();
    }

    private double backlog(boolean retryingOnly) {
        return JobMeters.countOrNaN(jdbc, "SELECT COUNT(*) FROM webhook_delivery WHERE status = 'pending'"
                + (retryingOnly ? " AND attempts > 0" : ""));
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String shorten(String text) {
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR);
    }
}
