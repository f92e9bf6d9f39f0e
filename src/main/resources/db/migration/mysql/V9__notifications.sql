-- Staff calendar feeds (booking module, CalendarFeeds): one secret per staff member, kept as its SHA-256 only. The
-- secret is 256 random bits, so an unsalted hash is enough: nothing can be guessed from it. No foreign key to staff:
-- a feed simply lists nothing once its staff member has no bookings.
CREATE TABLE calendar_feed (
    staff_id    BIGINT      PRIMARY KEY,
    secret_hash VARCHAR(64) NOT NULL,
    created_at  DATETIME(6) NOT NULL
);
