-- Scratch tables of bench/pgbench/booking.sql, shaped like Holdfast's idempotency_record, booking and
-- booked_granule (V1__booking_core.sql), indexes included.
CREATE TABLE pg_idempotency (idem_key VARCHAR(200) PRIMARY KEY, request_hash VARCHAR(64) NOT NULL,
    created_at TIMESTAMP NOT NULL);
CREATE TABLE pg_booking (id VARCHAR(36) PRIMARY KEY, staff_id BIGINT NOT NULL, start_granule BIGINT NOT NULL,
    customer_email VARCHAR(320) NOT NULL, created_at TIMESTAMP NOT NULL);
CREATE INDEX pg_booking_staff_start ON pg_booking (staff_id, start_granule);
CREATE TABLE pg_booked_granule (staff_id BIGINT NOT NULL, granule BIGINT NOT NULL,
    booking_id VARCHAR(36) NOT NULL REFERENCES pg_booking (id), PRIMARY KEY (staff_id, granule));
CREATE INDEX pg_booked_granule_booking ON pg_booked_granule (booking_id);
