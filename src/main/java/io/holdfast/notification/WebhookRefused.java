package io.holdfast.notification;

import io.holdfast.Refusal;

/** A webhook cannot be created (a bad or forbidden URL, unknown events) or is not there. */
final class WebhookRefused extends Refusal {

    private WebhookRefused(String code, String detail) {
        super(code, detail);
    }

    static WebhookRefused invalid(String detail) {
        return new WebhookRefused("validation_failed", detail);
    }

    static WebhookRefused notFound(Object webhookId) {
        return new WebhookRefused("not_found", doesNotExist("Webhook", webhookId));
    }
}
