package io.holdfast.catalog;

import static io.holdfast.UtcColumns.fromColumn;
import static io.holdfast.UtcColumns.toColumn;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.holdfast.cache.CacheInvalidation;
import io.holdfast.cache.CacheNames;
import io.holdfast.web.ApiProblem;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Locations, services, staff, working hours and time off: the slow-changing data bookings are made against. Reads
 * are cached (two levels, see the cache module); every write here invalidates what it changed, after its commit.
 */
@Repository
public class Catalog {

    private final JdbcClient jdbc;
    private final CacheInvalidation invalidation;

    Catalog(JdbcClient jdbc, CacheInvalidation invalidation) {
        this.jdbc = jdbc;
        this.invalidation = invalidation;
    }

    @Cacheable(cacheNames = CacheNames.LOCATIONS, key = "'all'", sync = true)
    public List<Location> locations() {
        return jdbc.sql("SELECT * FROM location ORDER BY id").query(Catalog::location).list();
    }

    @Cacheable(cacheNames = CacheNames.LOCATION, key = "#id", sync = true)
    public Optional<Location> location(long id) {
        return jdbc.sql("SELECT * FROM location WHERE id = ?").param(id).query(Catalog::location).optional();
    }

    public Location createLocation(String name, ZoneId zone, int slotIntervalMinutes, BookingRules rules) {
        long id = insert("""
                INSERT INTO location (name, time_zone, slot_interval_minutes, min_notice_minutes,
                                      booking_window_days, cancel_cutoff_minutes)
                VALUES (?, ?, ?, ?, ?, ?)""", name, zone.getId(), slotIntervalMinutes, rules.minNoticeMinutes(),
                rules.bookingWindowDays(), rules.cancelCutoffMinutes());
        invalidation.locationChanged(id, List.of());
        return new Location(id, name, zone, slotIntervalMinutes, rules);
    }

    public Location updateRules(long locationId, BookingRules rules) {
        int updated = jdbc.sql("""
                UPDATE location SET min_notice_minutes = ?, booking_window_days = ?, cancel_cutoff_minutes = ?
                WHERE id = ?""")
                .params(rules.minNoticeMinutes(), rules.bookingWindowDays(), rules.cancelCutoffMinutes(), locationId)
                .update();
        if (updated == 0) {
            throw ApiProblem.notFound("Location", locationId);
        }
        invalidation.locationChanged(locationId, staff(locationId).stream().map(StaffMember::id).toList());
        return location(locationId).orElseThrow();
    }

    @Cacheable(cacheNames = CacheNames.SERVICES, key = "'all'", sync = true)
    public List<ServiceOffering> services() {
        return jdbc.sql("SELECT * FROM service ORDER BY id").query(Catalog::service).list();
    }

    @Cacheable(cacheNames = CacheNames.SERVICE, key = "#id", sync = true)
    public Optional<ServiceOffering> service(long id) {
        return jdbc.sql("SELECT * FROM service WHERE id = ?").param(id).query(Catalog::service).optional();
    }

    public ServiceOffering createService(String name, int durationMinutes, int bufferBeforeMinutes,
            int bufferAfterMinutes, long priceCents) {
        long id = insert("""
                INSERT INTO service (name, duration_minutes, buffer_before_minutes, buffer_after_minutes, price_cents)
                VALUES (?, ?, ?, ?, ?)""", name, durationMinutes, bufferBeforeMinutes, bufferAfterMinutes, priceCents);
        invalidation.serviceChanged(id);
        return new ServiceOffering(id, name, durationMinutes, bufferBeforeMinutes, bufferAfterMinutes, priceCents);
    }

    @Cacheable(cacheNames = CacheNames.STAFF, key = "#locationId == null ? 'all' : #locationId", sync = true)
    public List<StaffMember> staff(Long locationId) {
        List<Map.Entry<Long, Long>> offered = jdbc.sql("SELECT staff_id, service_id FROM staff_service ORDER BY service_id")
                .query((rs, n) -> Map.entry(rs.getLong(1), rs.getLong(2))).list();
        Map<Long, StaffMember> byId = new LinkedHashMap<>();
        String sql = locationId == null ? "SELECT * FROM staff ORDER BY id"
                : "SELECT * FROM staff WHERE location_id = :location ORDER BY id";
        var spec = jdbc.sql(sql);
        if (locationId != null) {
            spec = spec.param("location", locationId);
        }
        spec.query((rs, n) -> new StaffMember(rs.getLong("id"), rs.getString("name"), rs.getLong("location_id"),
                new ArrayList<>())).list().forEach(member -> byId.put(member.id(), member));
        offered.forEach(entry -> {
            StaffMember member = byId.get(entry.getKey());
            if (member != null) {
                member.serviceIds().add(entry.getValue());
            }
        });
        return byId.values().stream()
                .map(member -> new StaffMember(member.id(), member.name(), member.locationId(),
                        List.copyOf(member.serviceIds())))
                .toList();
    }

    @Cacheable(cacheNames = CacheNames.STAFF_MEMBER, key = "#id", sync = true)
    public Optional<StaffMember> staffMember(long id) {
        return jdbc.sql("SELECT * FROM staff WHERE id = ?").param(id)
                .query((rs, n) -> new StaffMember(id, rs.getString("name"), rs.getLong("location_id"), List.of()))
                .optional()
                .map(member -> new StaffMember(id, member.name(), member.locationId(),
                        jdbc.sql("SELECT service_id FROM staff_service WHERE staff_id = ? ORDER BY service_id")
                                .param(id).query(Long.class).list()));
    }

    @Transactional
    public StaffMember createStaff(String name, long locationId, List<Long> serviceIds) {
        if (location(locationId).isEmpty()) {
            throw ApiProblem.notFound("Location", locationId);
        }
        List<Long> distinct = serviceIds.stream().distinct().sorted().toList();
        for (long serviceId : distinct) {
            if (service(serviceId).isEmpty()) {
                throw ApiProblem.notFound("Service", serviceId);
            }
        }
        long id = insert("INSERT INTO staff (name, location_id) VALUES (?, ?)", name, locationId);
        distinct.forEach(serviceId -> jdbc.sql("INSERT INTO staff_service (staff_id, service_id) VALUES (?, ?)")
                .params(id, serviceId).update());
        invalidation.staffChanged(id);
        return new StaffMember(id, name, locationId, distinct);
    }

    /** Replaces the whole weekly pattern; windows must not overlap on one day. */
    @Transactional
    public List<WorkingWindow> replaceWorkingHours(long staffId, List<WorkingWindow> windows) {
        requireStaff(staffId);
        List<WorkingWindow> sorted = windows.stream()
                .sorted(java.util.Comparator.comparing(WorkingWindow::dayOfWeek).thenComparing(WorkingWindow::start))
                .toList();
        for (int i = 1; i < sorted.size(); i++) {
            WorkingWindow previous = sorted.get(i - 1);
            WorkingWindow current = sorted.get(i);
            if (previous.dayOfWeek() == current.dayOfWeek() && current.start().isBefore(previous.end())) {
                throw ApiProblem.invalid("Working hours overlap on " + current.dayOfWeek() + " at " + current.start());
            }
        }
        jdbc.sql("DELETE FROM working_hours WHERE staff_id = ?").param(staffId).update();
        sorted.forEach(window -> jdbc.sql("""
                INSERT INTO working_hours (staff_id, day_of_week, start_time, end_time) VALUES (?, ?, ?, ?)""")
                .params(staffId, window.dayOfWeek().getValue(), window.start(), window.end()).update());
        invalidation.scheduleChanged(staffId);
        return sorted;
    }

    public TimeOff addTimeOff(long staffId, Instant start, Instant end, String reason) {
        requireStaff(staffId);
        long id = insert("INSERT INTO time_off (staff_id, start_at, end_at, reason) VALUES (?, ?, ?, ?)",
                staffId, toColumn(start), toColumn(end), reason);
        invalidation.scheduleChanged(staffId);
        return new TimeOff(id, staffId, start, end, reason);
    }

    /** The staff member's schedule with the time off that touches [from, to). */
    public Optional<StaffSchedule> schedule(long staffId, Instant from, Instant to) {
        return staffMember(staffId).map(member -> {
            Location location = location(member.locationId()).orElseThrow();
            List<WorkingWindow> hours = jdbc.sql("""
                    SELECT day_of_week, start_time, end_time FROM working_hours
                    WHERE staff_id = ? ORDER BY day_of_week, start_time""")
                    .param(staffId)
                    .query((rs, n) -> new WorkingWindow(DayOfWeek.of(rs.getInt(1)),
                            rs.getObject(2, LocalTime.class), rs.getObject(3, LocalTime.class)))
                    .list();
            List<TimeOff> off = jdbc.sql("""
                    SELECT * FROM time_off WHERE staff_id = ? AND start_at < ? AND end_at > ? ORDER BY start_at""")
                    .params(staffId, toColumn(to), toColumn(from))
                    .query((rs, n) -> new TimeOff(rs.getLong("id"), staffId,
                            fromColumn(rs.getObject("start_at", LocalDateTime.class)),
                            fromColumn(rs.getObject("end_at", LocalDateTime.class)), rs.getString("reason")))
                    .list();
            return new StaffSchedule(member, location, hours, off);
        });
    }

    private void requireStaff(long staffId) {
        if (jdbc.sql("SELECT COUNT(*) FROM staff WHERE id = ?").param(staffId).query(Long.class).single() == 0) {
            throw ApiProblem.notFound("Staff member", staffId);
        }
    }

    private long insert(String sql, Object... params) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql(sql).params(params).update(keys, "id");
        return java.util.Objects.requireNonNull(keys.getKey(), "generated id").longValue();
    }

    private static Location location(ResultSet rs, int row) throws SQLException {
        return new Location(rs.getLong("id"), rs.getString("name"), ZoneId.of(rs.getString("time_zone")),
                rs.getInt("slot_interval_minutes"), new BookingRules(rs.getInt("min_notice_minutes"),
                        rs.getInt("booking_window_days"), rs.getInt("cancel_cutoff_minutes")));
    }

    private static ServiceOffering service(ResultSet rs, int row) throws SQLException {
        return new ServiceOffering(rs.getLong("id"), rs.getString("name"), rs.getInt("duration_minutes"),
                rs.getInt("buffer_before_minutes"), rs.getInt("buffer_after_minutes"), rs.getLong("price_cents"));
    }
}
