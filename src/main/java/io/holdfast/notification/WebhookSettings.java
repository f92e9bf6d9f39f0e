package io.holdfast.notification;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook deliveries.
 *
 * @param allowPrivateTargets accept webhook URLs whose host is or resolves to a loopback, link-local, private or
 *                            otherwise internal address; off by default, since such a URL would let whoever holds the
 *                            admin token make the server call its own network (server-side request forgery)
 * @param timeout             how long one attempt may take, connecting included; past it the attempt counts as failed
 * @param retryDelay          the wait before the second attempt, doubling after each failed one up to an hour
 * @param retryFor            how long after the event attempts go on; then the delivery is given up ({@code failed})
 * @param keepDeliveries      how long delivered and given-up deliveries stay in the listing before they are deleted
 */
@ConfigurationProperties("holdfast.webhooks")
record WebhookSettings(@DefaultValue("false") boolean allowPrivateTargets, @DefaultValue("10s") Duration timeout,
        @DefaultValue("30s") Duration retryDelay, @DefaultValue("24h") Duration retryFor,
        @DefaultValue("7d") Duration keepDeliveries) {

    static final Duration MAX_RETRY_DELAY = Duration.ofHours(1);

    /** The wait after the given number of failed attempts (1, 2, ...): the retry delay doubled, at most an hour. */
    Duration backOff(int failedAttempts) {
        Duration delay = retryDelay;
        for (int i = 1; i < failedAttempts && delay.compareTo(MAX_RETRY_DELAY) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
    }
}
