package io.holdfast.notification;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps webhook signing secrets sealed in the {@code webhook} table. Unlike a calendar feed secret they cannot be
 * stored as a hash: every delivery needs the key itself for its HMAC.
 */
@Component
class WebhookSecretSeal extends Seal {

    WebhookSecretSeal(JdbcClient jdbc) {
        super(jdbc, "webhook-secret");
    }
}
