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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.holdfast.cache.CacheInvalidation;
import io.holdfast.cache.CacheNames;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.jdbc.core.RowCallbackHandler;
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
    /*
     * The lookups by id that every availability read and hold makes go to their caches directly, as @Cacheable
     * would (the same caches and keys, an absent row cached as null): through the annotation's interceptor, which
     * works out its operation contexts on every call, two of them were a tenth of a cached availability read's CPU
     * (issue #13). The lists keep the annotation.
     */
    private final Cache locationById;
    private final Cache serviceById;
    private final Cache staffMemberById;

    Catalog(JdbcClient jdbc, CacheInvalidation invalidation, CacheManager caches) {
        this.jdbc = jdbc;
        this.invalidation = invalidation;
        this.locationById = caches.getCache(CacheNames.LOCATION);
        this.serviceById = caches.getCache(CacheNames.SERVICE);
        this.staffMemberById = caches.getCache(CacheNames.STAFF_MEMBER);
    }

    /** The locations open for booking (not deleted). */
    @Cacheable(cacheNames = CacheNames.LOCATIONS, key = "'all'", sync = true)
    public List<Location> locations() {
        return jdbc.sql("SELECT * FROM location WHERE deleted_at IS NULL ORDER BY id").query(Catalog::location).list();
    }

    /**
     * A location by id, a deleted one included: bookings made there keep their time zone and rules. Whether it is
     * still open for booking is {@link #locations()}'s business.
     */
    public Optional<Location> location(long id) {
        return Optional.ofNullable(locationById.get(id, () -> jdbc.sql("SELECT * FROM location WHERE id = ?")
                .param(id).query(Catalog::location).optional().orElse(null)));
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

    /** The services on offer (not deleted). */
    @Cacheable(cacheNames = CacheNames.SERVICES, key = "'all'", sync = true)
    public List<ServiceOffering> services() {
        return jdbc.sql("SELECT * FROM service WHERE deleted_at IS NULL ORDER BY id").query(Catalog::service).list();
    }

    /** A service by id, a deleted one included (its bookings keep their name and price); nobody offers it then. */
    public Optional<ServiceOffering> service(long id) {
        return Optional.ofNullable(serviceById.get(id, () -> jdbc.sql("SELECT * FROM service WHERE id = ?")
                .param(id).query(Catalog::service).optional().orElse(null)));
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
        String sql = locationId == null ? "SELECT * FROM staff WHERE deleted_at IS NULL ORDER BY id"
                : "SELECT * FROM staff WHERE location_id = :location AND deleted_at IS NULL ORDER BY id";
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

    /**
     * A staff member by id, a deleted one included (their bookings keep their name and location). A deleted staff
     * member offers no service, so nothing new can be held or booked with them.
     */
    public Optional<StaffMember> staffMember(long id) {
        return Optional.ofNullable(staffMemberById.get(id, () -> loadStaffMember(id)));
    }

    private StaffMember loadStaffMember(long id) {
        // One statement (a row per service offered, one with a null service when none): a confirmation reads this
        // while it holds the staff row's lock, where every round trip is one other bookings wait for (issue #13).
        List<StaffMember> rows = jdbc.sql("""
                SELECT s.name, s.location_id, o.service_id FROM staff s
                LEFT JOIN staff_service o ON o.staff_id = s.id
                WHERE s.id = ? ORDER BY o.service_id""").param(id)
                .query((rs, n) -> new StaffMember(id, rs.getString(1), rs.getLong(2),
                        rs.getObject(3) == null ? List.of() : List.of(rs.getLong(3))))
                .list();
        if (rows.isEmpty()) {
            return null;
        }
        List<Long> services = rows.stream().flatMap(row -> row.serviceIds().stream()).toList();
        return new StaffMember(id, rows.get(0).name(), rows.get(0).locationId(), services);
    }

    @Transactional
    public StaffMember createStaff(String name, long locationId, List<Long> serviceIds) {
        requireActive("location", locationId);
        List<Long> distinct = activeServices(serviceIds);
        long id = insert("INSERT INTO staff (name, location_id) VALUES (?, ?)", name, locationId);
        offer(id, distinct);
        invalidation.staffChanged(id);
        return new StaffMember(id, name, locationId, distinct);
    }

    /** The distinct ids, sorted, once each is known to be a service on offer. */
    List<Long> activeServices(List<Long> serviceIds) {
        List<Long> distinct = serviceIds.stream().distinct().sorted().toList();
        for (long serviceId : distinct) {
            requireActive("service", serviceId);
        }
        return distinct;
    }

    void offer(long staffId, List<Long> serviceIds) {
        jdbc.sql("DELETE FROM staff_service WHERE staff_id = ?").param(staffId).update();
        serviceIds.forEach(serviceId -> jdbc.sql("INSERT INTO staff_service (staff_id, service_id) VALUES (?, ?)")
                .params(staffId, serviceId).update());
    }

    /** Throws not_found unless the row exists and is not deleted ({@code table} is one of ours, never input). */
    void requireActive(String table, long id) {
        if (jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE id = ? AND deleted_at IS NULL").param(id)
                .query(Long.class).single() == 0) {
            throw CatalogRefused.notFound(switch (table) {
                case "location" -> "Location";
                case "service" -> "Service";
                default -> "Staff member";
            }, id);
        }
    }

    /**
     * The staff member's schedule with the time off that touches [from, to), every part read from the database (never
     * cached), in the caller's transaction: a confirmation checks it, services offered included, after locking the
     * staff row.
     */
    public Optional<StaffSchedule> schedule(long staffId, Instant from, Instant to) {
        // The staff member, the services offered and the location in one statement (a row per service offered, one
        // with a null service when none): the confirmation reads this holding the staff row's lock (issue #13).
        record Row(StaffMember member, Location location) {
        }
        List<Row> rows = jdbc.sql("""
                SELECT s.name, s.location_id, o.service_id, l.name AS location_name, l.time_zone,
                       l.slot_interval_minutes, l.min_notice_minutes, l.booking_window_days, l.cancel_cutoff_minutes
                FROM staff s JOIN location l ON l.id = s.location_id
                LEFT JOIN staff_service o ON o.staff_id = s.id
                WHERE s.id = ? ORDER BY o.service_id""").param(staffId)
                .query((rs, n) -> new Row(new StaffMember(staffId, rs.getString(1), rs.getLong(2),
                        rs.getObject(3) == null ? List.of() : List.of(rs.getLong(3))),
                        new Location(rs.getLong(2), rs.getString(4), ZoneId.of(rs.getString(5)), rs.getInt(6),
                                new BookingRules(rs.getInt(7), rs.getInt(8), rs.getInt(9)))))
                .list();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Row first = rows.get(0);
        StaffMember member = new StaffMember(staffId, first.member().name(), first.member().locationId(),
                rows.stream().flatMap(row -> row.member().serviceIds().stream()).toList());
        return Optional.of(schedule(member, first.location(), from, to));
    }

    /**
     * The schedule of a staff member already read (through the cache) with its location, with the working hours and
     * the time off that touches [from, to) read from the database: one statement instead of {@link #schedule}'s
     * two, for the availability cache's loader, whose entries are dropped with the same tags as the staff member's
     * and the location's (issue #13: a hold loads a day in most bookings). Not for a confirmation, which must read
     * every part after locking the staff row.
     */
    public StaffSchedule schedule(StaffMember member, Location location, Instant from, Instant to) {
        // The working hours and the time off in one statement (issue #13: a confirmation reads them holding the staff
        // row's lock, and a hold loads a day in most bookings): a row per window (part 1) or time off (part 2), in
        // the order workingHours and timeOff give them.
        List<WorkingWindow> hours = new ArrayList<>();
        List<TimeOff> off = new ArrayList<>();
        long staffId = member.id();
        jdbc.sql("""
                SELECT 1, day_of_week, start_time, end_time, NULL, NULL, NULL, NULL FROM working_hours
                WHERE staff_id = ?
                UNION ALL
                SELECT 2, NULL, NULL, NULL, id, start_at, end_at, reason FROM time_off
                WHERE staff_id = ? AND start_at < ? AND end_at > ?""")
                .params(staffId, staffId, toColumn(to), toColumn(from))
                .query((RowCallbackHandler) rs -> {
                    if (rs.getInt(1) == 1) {
                        hours.add(new WorkingWindow(DayOfWeek.of(rs.getInt(2)), rs.getObject(3, LocalTime.class),
                                rs.getObject(4, LocalTime.class)));
                    } else {
                        off.add(new TimeOff(rs.getLong(5), staffId, fromColumn(rs.getObject(6, LocalDateTime.class)),
                                fromColumn(rs.getObject(7, LocalDateTime.class)), rs.getString(8)));
                    }
                });
        hours.sort(Comparator.comparing(WorkingWindow::dayOfWeek).thenComparing(WorkingWindow::start));
        off.sort(Comparator.comparing(TimeOff::start).thenComparingLong(TimeOff::id));
        return new StaffSchedule(member, location, List.copyOf(hours), List.copyOf(off));
    }

    /** The weekly pattern, by day and start (read from the database, never cached). */
    public List<WorkingWindow> workingHours(long staffId) {
        return jdbc.sql("""
                SELECT day_of_week, start_time, end_time FROM working_hours
                WHERE staff_id = ? ORDER BY day_of_week, start_time""")
                .param(staffId)
                .query((rs, n) -> new WorkingWindow(DayOfWeek.of(rs.getInt(1)),
                        rs.getObject(2, LocalTime.class), rs.getObject(3, LocalTime.class)))
                .list();
    }

    /** All time off of the staff member, by start. */
    public List<TimeOff> timeOff(long staffId) {
        return timeOff(staffId, "");
    }

    private List<TimeOff> timeOff(long staffId, String condition, Object... params) {
        List<Object> all = new ArrayList<>();
        all.add(staffId);
        all.addAll(List.of(params));
        return jdbc.sql("SELECT * FROM time_off WHERE staff_id = ? " + condition + " ORDER BY start_at, id")
                .params(all)
                .query((rs, n) -> new TimeOff(rs.getLong("id"), staffId,
                        fromColumn(rs.getObject("start_at", LocalDateTime.class)),
                        fromColumn(rs.getObject("end_at", LocalDateTime.class)), rs.getString("reason")))
                .list();
    }

    /**
     * Locks the rows of these staff members for the rest of the caller's transaction, one by one in id order (so
     * two lockers never deadlock). Confirming a booking and changing a schedule both start so, which serialises
     * them (see {@link CatalogChanges}). False when any of them does not exist or was deleted.
     */
    public boolean lockStaff(java.util.Collection<Long> staffIds) {
        for (long staffId : new java.util.TreeSet<>(staffIds)) {
            if (jdbc.sql("SELECT id FROM staff WHERE id = ? AND deleted_at IS NULL FOR UPDATE").param(staffId)
                    .query(Long.class).optional().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    long insert(String sql, Object... params) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql(sql).params(params).update(keys, "id");
        return java.util.Objects.requireNonNull(keys.getKey(), "generated id").longValue();
    }

    static Location location(ResultSet rs, int row) throws SQLException {
        return new Location(rs.getLong("id"), rs.getString("name"), ZoneId.of(rs.getString("time_zone")),
                rs.getInt("slot_interval_minutes"), new BookingRules(rs.getInt("min_notice_minutes"),
                        rs.getInt("booking_window_days"), rs.getInt("cancel_cutoff_minutes")));
    }

    static ServiceOffering service(ResultSet rs, int row) throws SQLException {
        return new ServiceOffering(rs.getLong("id"), rs.getString("name"), rs.getInt("duration_minutes"),
                rs.getInt("buffer_before_minutes"), rs.getInt("buffer_after_minutes"), rs.getLong("price_cents"));
    }
}
