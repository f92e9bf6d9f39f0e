package io.holdfast.booking;

import static io.holdfast.UtcColumns.fromColumn;
import static io.holdfast.UtcColumns.toColumn;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.holdfast.catalog.Granules;
import io.holdfast.availability.Occupancy;
import io.holdfast.catalog.ScheduledBooking;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Bookings and their occupied granules. Inserting the granules is what makes the database refuse an overlap:
 * callers run these methods inside one transaction and let a DuplicateKeyException roll it back.
 */
@Repository
class BookingTable {

    private final JdbcClient jdbc;

    BookingTable(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Booking booking, String manageTokenHash, Occupancy occupancy) {
        jdbc.sql("""
                INSERT INTO booking (id, staff_id, service_id, start_at, end_at, status, customer_name,
                                     customer_email, customer_phone, notes, manage_token_hash, price_cents, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(booking.id().toString(), booking.staffId(), booking.serviceId(), toColumn(booking.start()),
                        toColumn(booking.end()), booking.status().name(), booking.customer().name(),
                        booking.customer().email(), booking.customer().phone(), booking.notes(), manageTokenHash,
                        booking.priceCents(), toColumn(booking.createdAt()))
                .update();
        occupy(booking.id(), booking.staffId(), occupancy);
    }

    /**
     * Claims the granules; throws DuplicateKeyException when any of them belongs to another booking. One multi-row
     * INSERT (H2, PostgreSQL and MariaDB all take the row list): it runs while the staff member's row is locked, so
     * each statement here is a round trip that every other booking of that staff member waits for (issue #13).
     */
    void occupy(UUID bookingId, long staffId, Occupancy occupancy) {
        long[] granules = occupancy.granules();
        List<Object> params = new ArrayList<>(granules.length * 3);
        for (long granule : granules) {
            params.add(staffId);
            params.add(granule);
            params.add(bookingId.toString());
        }
        jdbc.sql("INSERT INTO booked_granule (staff_id, granule, booking_id) VALUES "
                        + String.join(", ", Collections.nCopies(granules.length, "(?, ?, ?)")))
                .params(params).update();
    }

    void vacate(UUID bookingId) {
        jdbc.sql("DELETE FROM booked_granule WHERE booking_id = ?").param(bookingId.toString()).update();
    }

    Optional<Booking> find(UUID id) {
        return jdbc.sql("SELECT * FROM booking WHERE id = ?").param(id.toString()).query(BookingTable::booking).optional();
    }

    /** Locks the booking row for the rest of the transaction (cancel and reschedule race each other). */
    Optional<Booking> lock(UUID id) {
        return jdbc.sql("SELECT * FROM booking WHERE id = ? FOR UPDATE").param(id.toString())
                .query(BookingTable::booking).optional();
    }

    Optional<String> manageTokenHash(UUID id) {
        return jdbc.sql("SELECT manage_token_hash FROM booking WHERE id = ?").param(id.toString())
                .query(String.class).optional();
    }

    Optional<String> customerEmail(UUID id) {
        return jdbc.sql("SELECT customer_email FROM booking WHERE id = ?").param(id.toString())
                .query(String.class).optional();
    }

    boolean cancel(UUID id, Instant now) {
        return jdbc.sql("UPDATE booking SET status = 'CANCELLED', cancelled_at = ?, revision = revision + 1 WHERE id = ? AND status = 'CONFIRMED'")
                .params(toColumn(now), id.toString()).update() == 1;
    }

    void move(UUID id, long staffId, long serviceId, Instant start, Instant end, long priceCents) {
        jdbc.sql("UPDATE booking SET staff_id = ?, service_id = ?, start_at = ?, end_at = ?, price_cents = ?, "
                + "revision = revision + 1 WHERE id = ?")
                .params(staffId, serviceId, toColumn(start), toColumn(end), priceCents, id.toString()).update();
    }

    /** How often the booking has changed since it was made (the calendar SEQUENCE of its latest change). */
    int revision(UUID id) {
        return jdbc.sql("SELECT revision FROM booking WHERE id = ?").param(id.toString()).query(Integer.class).single();
    }

    List<Booking> between(Collection<Long> staffIds, Instant from, Instant to) {
        if (staffIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT * FROM booking WHERE staff_id IN (:staff) AND start_at >= :from AND start_at < :to
                ORDER BY start_at, staff_id""")
                .param("staff", staffIds).param("from", toColumn(from)).param("to", toColumn(to))
                .query(BookingTable::booking).list();
    }

    /** A booking with its revision (the calendar SEQUENCE). */
    record Revised(Booking booking, int revision) {
    }

    /** A staff member's confirmed bookings starting at {@code from} or later, by start. */
    List<Revised> confirmedOfStaff(long staffId, Instant from) {
        return jdbc.sql("SELECT * FROM booking WHERE staff_id = ? AND status = 'CONFIRMED' AND start_at >= ? "
                + "ORDER BY start_at").params(staffId, toColumn(from))
                .query((rs, n) -> new Revised(booking(rs, n), rs.getInt("revision"))).list();
    }

    /**
     * Confirmed bookings not over yet ({@code end > from}) of these staff members, or of this service, with the
     * time their granules occupy (buffers included), by start.
     */
    List<ScheduledBooking> upcoming(Collection<Long> staffIds, Long serviceId, Instant from) {
        if (staffIds != null && staffIds.isEmpty()) {
            return List.of();
        }
        String who = staffIds != null ? "b.staff_id IN (:who)" : "b.service_id = :who";
        return jdbc.sql("""
                SELECT b.id, b.staff_id, b.service_id, b.start_at, b.end_at, MIN(g.granule), MAX(g.granule)
                FROM booking b JOIN booked_granule g ON g.booking_id = b.id
                WHERE b.status = 'CONFIRMED' AND b.end_at > :from AND %s
                GROUP BY b.id, b.staff_id, b.service_id, b.start_at, b.end_at
                ORDER BY b.start_at, b.staff_id""".formatted(who))
                .param("who", staffIds != null ? staffIds : serviceId).param("from", toColumn(from))
                .query((rs, n) -> new ScheduledBooking(UUID.fromString(rs.getString(1)), rs.getLong(2), rs.getLong(3),
                        fromColumn(rs.getObject(4, LocalDateTime.class)), fromColumn(rs.getObject(5, LocalDateTime.class)),
                        Granules.start(rs.getLong(6)), Granules.start(rs.getLong(7) + 1)))
                .list();
    }

    private static Booking booking(ResultSet rs, int row) throws SQLException {
        return new Booking(UUID.fromString(rs.getString("id")), rs.getLong("staff_id"), rs.getLong("service_id"),
                fromColumn(rs.getObject("start_at", LocalDateTime.class)),
                fromColumn(rs.getObject("end_at", LocalDateTime.class)),
                Booking.Status.valueOf(rs.getString("status")),
                new Booking.Customer(rs.getString("customer_name"), rs.getString("customer_email"),
                        rs.getString("customer_phone")),
                rs.getString("notes"), rs.getLong("price_cents"),
                fromColumn(rs.getObject("created_at", LocalDateTime.class)),
                fromColumn(rs.getObject("cancelled_at", LocalDateTime.class)));
    }
}
