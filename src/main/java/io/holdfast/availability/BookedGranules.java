package io.holdfast.availability;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads the overlap guard of confirmed bookings (the booking module writes it). */
@Repository
class BookedGranules {

    private final JdbcClient jdbc;

    BookedGranules(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Set<Long> between(long staffId, long fromGranule, long toGranule) {
        return new HashSet<>(jdbc.sql("""
                SELECT granule FROM booked_granule WHERE staff_id = ? AND granule >= ? AND granule <= ?""")
                .params(staffId, fromGranule, toGranule).query(Long.class).list());
    }

    /** The granules in range that belong to any booking but this one (the booking being moved). */
    Set<Long> betweenExcept(long staffId, long fromGranule, long toGranule, UUID bookingId) {
        return new HashSet<>(jdbc.sql("""
                SELECT granule FROM booked_granule
                WHERE staff_id = ? AND granule >= ? AND granule <= ? AND booking_id <> ?""")
                .params(staffId, fromGranule, toGranule, bookingId.toString()).query(Long.class).list());
    }
}
