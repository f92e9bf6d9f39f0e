-- pgbench transaction of scripts/bench (issue #13): what a booking writes to SQL, as the limit of the booking
-- scenario on the same PostgreSQL. One transaction: the idempotency record, the booking row and its six 5-minute
-- granules (a 30-minute slot), guarded by the granules' primary key as Holdfast's booked_granule is. Scratch
-- tables in a schema of their own (scripts/bench creates them); random staff member and slot, so collisions are
-- negligible (a collision would end that pgbench client: the overlap guard doing its work).
\set staff random(1, 1000)
\set slot random(1, 100000000)
BEGIN;
INSERT INTO pg_idempotency (idem_key, request_hash, created_at) VALUES ('k-' || :staff || '-' || :slot, md5(:slot::text), now());
INSERT INTO pg_booking (id, staff_id, start_granule, customer_email, created_at)
  VALUES (:staff || '-' || :slot, :staff, :slot * 6, 'bench@holdfast.invalid', now());
INSERT INTO pg_booked_granule (staff_id, granule, booking_id)
  SELECT :staff, :slot * 6 + g, :staff || '-' || :slot FROM generate_series(0, 5) AS g;
COMMIT;
