package io.holdfast.booking;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the database itself says about a staff member's bookings, read and written with plain SQL so the tests
 * do not take the application's word for it.
 */
final class BookingRows {

    /** Granules are 5 minutes numbered from the epoch (the schema's contract, computed here independently). */
    static final long GRANULE_SECONDS = 300;

    private final JdbcClient jdbc;

    BookingRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long confirmed(long staffId) {
        return jdbc.sql("SELECT COUNT(*) FROM booking WHERE staff_id = ? AND status = 'CONFIRMED'")
                .param(staffId).query(Long.class).single();
    }

    /** Confirmed bookings of the staff member whose [start, end) intersects [from, to). */
    long confirmedOverlapping(long staffId, Instant from, Instant to) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM booking
                WHERE staff_id = ? AND status = 'CONFIRMED' AND start_at < ? AND end_at > ?""")
                .params(staffId, column(to), column(from)).query(Long.class).single();
    }

    /** Pairs of confirmed bookings of one staff member whose times intersect: must always be 0. */
    long overlappingPairs(long staffId) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM booking a JOIN booking b
                  ON a.staff_id = b.staff_id AND a.id < b.id AND a.start_at < b.end_at AND b.start_at < a.end_at
                WHERE a.staff_id = ? AND a.status = 'CONFIRMED' AND b.status = 'CONFIRMED'""")
                .param(staffId).query(Long.class).single();
    }

    long bookedGranules(long staffId) {
        return jdbc.sql("SELECT COUNT(*) FROM booked_granule WHERE staff_id = ?").param(staffId)
                .query(Long.class).single();
    }

    List<String> confirmedIds(long staffId) {
        return jdbc.sql("SELECT id FROM booking WHERE staff_id = ? AND status = 'CONFIRMED' ORDER BY start_at")
                .param(staffId).query(String.class).list();
    }

    /** Booking ids owning the staff member's granules in [from, to). */
    List<String> granuleOwners(long staffId, Instant from, Instant to) {
        return jdbc.sql("""
                SELECT DISTINCT booking_id FROM booked_granule
                WHERE staff_id = ? AND granule >= ? AND granule < ?""")
                .params(staffId, granule(from), granule(to)).query(String.class).list();
    }

    /**
     * Inserts a confirmed booking and one booked_granule row per 5-minute granule of [start, end), the way any
     * writer must; the caller decides the transaction.
     */
    UUID insertConfirmed(long staffId, long serviceId, Instant start, Instant end) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO booking (id, staff_id, service_id, start_at, end_at, status, customer_name,
                                     customer_email, manage_token_hash, price_cents, created_at)
                VALUES (?, ?, ?, ?, ?, 'CONFIRMED', 'Direct SQL', 'sql@example.com', ?, 0, ?)""")
                .params(id.toString(), staffId, serviceId, column(start), column(end), "0".repeat(64),
                        column(Instant.now()))
                .update();
        for (long granule = granule(start); granule < granule(end); granule++) {
            jdbc.sql("INSERT INTO booked_granule (staff_id, granule, booking_id) VALUES (?, ?, ?)")
                    .params(staffId, granule, id.toString()).update();
        }
        return id;
    }

    static long granule(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), GRANULE_SECONDS);
    }

    static LocalDateTime column(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
