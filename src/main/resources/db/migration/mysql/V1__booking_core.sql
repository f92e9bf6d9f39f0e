-- Holdfast schema for MariaDB and MySQL (InnoDB). Instants are stored as UTC in DATETIME(6) columns,
-- written and read as LocalDateTime so that no driver applies a time-zone conversion.

CREATE TABLE location (
    id                    BIGINT AUTO_INCREMENT PRIMARY KEY,
    name                  VARCHAR(200) NOT NULL,
    time_zone             VARCHAR(64)  NOT NULL,
    slot_interval_minutes INT          NOT NULL,
    min_notice_minutes    INT          NOT NULL,
    booking_window_days   INT          NOT NULL,
    cancel_cutoff_minutes INT          NOT NULL
);

CREATE TABLE service (
    id                    BIGINT AUTO_INCREMENT PRIMARY KEY,
    name                  VARCHAR(200) NOT NULL,
    duration_minutes      INT          NOT NULL,
    buffer_before_minutes INT          NOT NULL,
    buffer_after_minutes  INT          NOT NULL,
    price_cents           BIGINT       NOT NULL
);

CREATE TABLE staff (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    location_id BIGINT       NOT NULL REFERENCES location (id)
);

CREATE TABLE staff_service (
    staff_id   BIGINT NOT NULL REFERENCES staff (id),
    service_id BIGINT NOT NULL REFERENCES service (id),
    PRIMARY KEY (staff_id, service_id)
);

-- Several windows a day are allowed; the gaps between them are breaks.
CREATE TABLE working_hours (
    staff_id    BIGINT   NOT NULL REFERENCES staff (id),
    day_of_week SMALLINT NOT NULL,
    start_time  TIME     NOT NULL,
    end_time    TIME     NOT NULL,
    PRIMARY KEY (staff_id, day_of_week, start_time)
);

CREATE TABLE time_off (
    id       BIGINT AUTO_INCREMENT PRIMARY KEY,
    staff_id BIGINT       NOT NULL REFERENCES staff (id),
    start_at DATETIME(6)    NOT NULL,
    end_at   DATETIME(6)    NOT NULL,
    reason   VARCHAR(500)
);
CREATE INDEX time_off_staff ON time_off (staff_id, start_at);

CREATE TABLE booking (
    id                VARCHAR(36)   PRIMARY KEY,
    staff_id          BIGINT        NOT NULL REFERENCES staff (id),
    service_id        BIGINT        NOT NULL REFERENCES service (id),
    start_at          DATETIME(6)     NOT NULL,
    end_at            DATETIME(6)     NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    customer_name     VARCHAR(200)  NOT NULL,
    customer_email    VARCHAR(320)  NOT NULL,
    customer_phone    VARCHAR(40),
    notes             VARCHAR(2000),
    manage_token_hash VARCHAR(64)   NOT NULL,
    price_cents       BIGINT        NOT NULL,
    created_at        DATETIME(6)     NOT NULL,
    cancelled_at      DATETIME(6)
);
CREATE INDEX booking_staff_start ON booking (staff_id, start_at);

-- The database-level guard against double booking: one row per occupied 5-minute granule
-- (service time plus buffers) of a confirmed booking. The primary key refuses a second booking
-- of the same staff member on any granule, whatever code path or storage mode wrote it.
CREATE TABLE booked_granule (
    staff_id   BIGINT      NOT NULL,
    granule    BIGINT      NOT NULL,
    booking_id VARCHAR(36) NOT NULL REFERENCES booking (id),
    PRIMARY KEY (staff_id, granule)
);
CREATE INDEX booked_granule_booking ON booked_granule (booking_id);

CREATE TABLE idempotency_record (
    idem_key     VARCHAR(200) PRIMARY KEY,
    request_hash VARCHAR(64)  NOT NULL,
    status       INT,
    body         MEDIUMTEXT,
    created_at   DATETIME(6)    NOT NULL
);

-- Per (staff, day) change counter for live clients.
CREATE TABLE day_version (
    staff_id BIGINT NOT NULL,
    local_day DATE  NOT NULL,
    version  BIGINT NOT NULL,
    PRIMARY KEY (staff_id, local_day)
);

-- Temporary state of the SQL store (embedded default and Redis fallback). Reads ignore expired rows.
CREATE TABLE slot_hold (
    id          VARCHAR(36) PRIMARY KEY,
    client_id   VARCHAR(64) NOT NULL,
    token       VARCHAR(64) NOT NULL,
    fingerprint VARCHAR(64) NOT NULL,
    created_at  DATETIME(6)   NOT NULL,
    expires_at  DATETIME(6)   NOT NULL,
    record_until DATETIME(6)  NOT NULL
);
CREATE INDEX slot_hold_client ON slot_hold (client_id, expires_at);

CREATE TABLE slot_hold_item (
    hold_id    VARCHAR(36) NOT NULL REFERENCES slot_hold (id) ON DELETE CASCADE,
    position   INT         NOT NULL,
    staff_id   BIGINT      NOT NULL,
    service_id BIGINT      NOT NULL,
    start_at   DATETIME(6)   NOT NULL,
    end_at     DATETIME(6)   NOT NULL,
    occupied_from DATETIME(6) NOT NULL,
    occupied_to   DATETIME(6) NOT NULL,
    PRIMARY KEY (hold_id, position)
);

-- One row per held granule: the primary key makes a hold all-or-nothing against other holds.
CREATE TABLE held_granule (
    staff_id   BIGINT      NOT NULL,
    granule    BIGINT      NOT NULL,
    hold_id    VARCHAR(36) NOT NULL,
    client_id  VARCHAR(64) NOT NULL,
    slot_start DATETIME(6)   NOT NULL,
    expires_at DATETIME(6)   NOT NULL,
    PRIMARY KEY (staff_id, granule)
);
CREATE INDEX held_granule_hold ON held_granule (hold_id);

-- A row per client that ever held, locked FOR UPDATE to serialise one client's hold requests
-- (so the per-client hold limit cannot be beaten by parallel requests).
CREATE TABLE hold_client (
    client_id VARCHAR(64) PRIMARY KEY
);

CREATE TABLE slot_selection (
    staff_id   BIGINT      NOT NULL,
    local_day  DATE        NOT NULL,
    client_id  VARCHAR(64) NOT NULL,
    slot_time  VARCHAR(5)  NOT NULL,
    expires_at DATETIME(6)   NOT NULL,
    PRIMARY KEY (staff_id, local_day, client_id)
);
