package io.holdfast.notification;

import java.util.Map;

import io.holdfast.Refusal;

/** A webhook cannot be created (a bad or forbidden URL, unknown events) or is not there. */
final class WebhookRefused extends Refusal {

    private WebhookRefused(String code, String detail) {
        super(code, detail, Map.of(), null);
    }

    static WebhookRefused invalid(String detail) {
        return new WebhookRefused("validation_failed", detail);
    }

    static WebhookRefused notFound(long id) {
        return new WebhookRefused("not_found", "Webhook " + id + " does not exist");
    }
}
