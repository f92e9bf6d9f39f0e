-- Staff calendar feeds (booking module, CalendarFeeds): one secret per staff member, kept as its SHA-256 only. The
-- secret is 256 random bits, so an unsalted hash is enough: nothing can be guessed from it. No foreign key to staff:
-- a feed simply lists nothing once its staff member has no bookings.
CREATE TABLE calendar_feed (
    staff_id    BIGINT      PRIMARY KEY,
    secret_hash VARCHAR(64) NOT NULL,
    created_at  DATETIME(6)   NOT NULL
);

-- Webhook subscriptions (notification module, Webhooks). The signing secret is needed in clear for every delivery's
-- HMAC, so it is stored sealed (AES-GCM under the server secret "webhook-secret"), not hashed. Events: a comma-
-- separated list of booking.confirmed, booking.rescheduled, booking.cancelled.
CREATE TABLE webhook (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    url           VARCHAR(2048) NOT NULL,
    events        VARCHAR(200)  NOT NULL,
    sealed_secret VARCHAR(200)  NOT NULL,
    created_at    DATETIME(6)     NOT NULL
);

-- The outbox: one row per event and webhook, written in the booking's own transaction (a rolled-back booking leaves
-- none), with the body as it will be sent on every attempt. A db-scheduler job (task webhook-delivery, instance =
-- message_id) sends it after the commit. seq orders the events of one booking: a later one waits while an earlier
-- one is still pending. status: pending, delivered, failed (gave up after holdfast.webhooks.retry-for).
CREATE TABLE webhook_delivery (
    seq             BIGINT AUTO_INCREMENT PRIMARY KEY,
    message_id      VARCHAR(40)    NOT NULL UNIQUE,
    webhook_id      BIGINT         NOT NULL,
    booking_id      VARCHAR(36)    NOT NULL,
    event_type      VARCHAR(40)    NOT NULL,
    payload         TEXT           NOT NULL,
    created_at      DATETIME(6)      NOT NULL,
    status          VARCHAR(20)    NOT NULL,
    attempts        INT            NOT NULL,
    next_attempt_at DATETIME(6),
    finished_at     DATETIME(6)
);
CREATE INDEX webhook_delivery_hook ON webhook_delivery (webhook_id, seq);
CREATE INDEX webhook_delivery_booking ON webhook_delivery (webhook_id, booking_id, status);

-- Each attempt of a delivery: when, how it ended (delivered, http_error, timeout, connection_error, refused) and the
-- receiver's status code when it answered.
CREATE TABLE webhook_attempt (
    message_id  VARCHAR(40)  NOT NULL,
    attempt     INT          NOT NULL,
    attempted_at DATETIME(6) NOT NULL,
    outcome     VARCHAR(20)  NOT NULL,
    status_code INT,
    error       VARCHAR(500),
    duration_ms BIGINT       NOT NULL,
    PRIMARY KEY (message_id, attempt)
);
