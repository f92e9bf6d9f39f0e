-- Deleting a location, service or staff member archives it (sets deleted_at) instead of removing the row:
-- past bookings keep pointing at what was booked (name, price, time zone stay readable for their history),
-- while every catalogue read, availability and new holds ignore archived rows.
ALTER TABLE location ADD COLUMN deleted_at DATETIME(6) NULL;
ALTER TABLE service ADD COLUMN deleted_at DATETIME(6) NULL;
ALTER TABLE staff ADD COLUMN deleted_at DATETIME(6) NULL;
