package io.holdfast.catalog;

import static io.holdfast.UtcColumns.toColumn;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

import io.holdfast.cache.CacheInvalidation;
import io.holdfast.web.WireTime;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The catalogue changes that confirmed bookings constrain: deleting what future bookings need ({@code in_use}),
 * and changing the times a staff member works (working hours, time off, the location's time zone, their
 * location) under bookings, which is refused ({@code bookings_affected}, listing them) unless the admin asks to
 * cancel them in the same transaction.
 *
 * <p>Each change locks the rows of the staff members it concerns first ({@code SELECT ... FOR UPDATE}), then reads
 * their bookings. A booking's confirmation locks its staff member's row first too and then checks the schedule
 * (see {@code Bookings}), so the two serialise: either the booking commits first and the change sees it, or the
 * change commits first and the confirmation sees the new schedule. Read committed, so that what the second one
 * reads after its lock is what the first one committed (MariaDB's default would read an older snapshot).
 *
 * <p>Deletion archives ({@code deleted_at}): past bookings keep what they point at, so their history (and a mail
 * or calendar feed that names their staff and service) stays readable. An archived entity is gone from every list,
 * offers nothing and is offered by nobody, so nothing new can be held or booked with it.
 *
 * <p>Every change drops the cached reads it makes stale (after its commit) and publishes {@link ScheduleChanged}
 * where a staff member's days may offer other times, so that live viewers refetch.
 */
@Service
public class CatalogChanges {

    private static final Logger log = LoggerFactory.getLogger(CatalogChanges.class);

    private final Catalog catalog;
    private final JdbcClient jdbc;
    private final BookingsOnSchedule bookings;
    private final CacheInvalidation invalidation;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TransactionTemplate transactions;

    CatalogChanges(Catalog catalog, JdbcClient jdbc, BookingsOnSchedule bookings, CacheInvalidation invalidation,
            ApplicationEventPublisher events, Clock clock, PlatformTransactionManager transactionManager) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.catalog = catalog;
        this.jdbc = jdbc;
        this.bookings = bookings;
        this.invalidation = invalidation;
        this.events = events;
        this.clock = clock;
    }

    /** A partial update: null fields keep their value. */
    public record LocationPatch(String name, ZoneId timeZone, Integer slotIntervalMinutes, Integer minNoticeMinutes,
            Integer bookingWindowDays, Integer cancelCutoffMinutes) {
    }

    public record ServicePatch(String name, Integer durationMinutes, Integer bufferBeforeMinutes,
            Integer bufferAfterMinutes, Long priceCents) {
    }

    public record StaffPatch(String name, Long locationId, List<Long> serviceIds) {
    }

    /**
     * Changes a location. A new time zone moves every working window in real time, so the future bookings of its
     * staff are {@code bookings_affected} (or cancelled with {@code cancelAffected}); the rules and the grid apply to
     * new bookings only.
     */
    public Location updateLocation(long id, LocationPatch patch, boolean cancelAffected) {
        return committed(after -> {
            Location current = lockLocation(id);
            List<Long> staffIds = lockStaffAt(id);
            ZoneId zone = patch.timeZone() == null ? current.timeZone() : patch.timeZone();
            if (!zone.equals(current.timeZone())) {
                strandOrCancel(after, bookings.upcomingOfStaff(staffIds, clock.instant()), booking -> true, cancelAffected,
                        current.timeZone(), "Moving location " + id + " to " + zone + " moves its working hours");
            }
            BookingRules rules = new BookingRules(
                    or(patch.minNoticeMinutes(), current.rules().minNoticeMinutes()),
                    or(patch.bookingWindowDays(), current.rules().bookingWindowDays()),
                    or(patch.cancelCutoffMinutes(), current.rules().cancelCutoffMinutes()));
            Location changed = new Location(id, patch.name() == null ? current.name() : patch.name(), zone,
                    or(patch.slotIntervalMinutes(), current.slotIntervalMinutes()), rules);
            jdbc.sql("""
                    UPDATE location SET name = ?, time_zone = ?, slot_interval_minutes = ?, min_notice_minutes = ?,
                                        booking_window_days = ?, cancel_cutoff_minutes = ?
                    WHERE id = ?""")
                    .params(changed.name(), zone.getId(), changed.slotIntervalMinutes(), rules.minNoticeMinutes(),
                            rules.bookingWindowDays(), rules.cancelCutoffMinutes(), id)
                    .update();
            invalidation.locationChanged(id, staffIds);
            staffIds.forEach(staffId -> publish(after, new ScheduleChanged(staffId, bookableDays(changed))));
            return changed;
        });
    }

    /** Sets a location's booking rules (the rest of it stays). */
    public Location updateRules(long id, BookingRules rules) {
        return updateLocation(id, new LocationPatch(null, null, null, rules.minNoticeMinutes(),
                rules.bookingWindowDays(), rules.cancelCutoffMinutes()), false);
    }

    /** Archives a location and its staff; {@code in_use} while any of them has a future confirmed booking. */
    public void deleteLocation(long id) {
        committed(after -> {
            Location location = lockLocation(id);
            List<Long> staffIds = lockStaffAt(id);
            refuseInUse(bookings.upcomingOfStaff(staffIds, clock.instant()), location.timeZone(),
                    "Location " + id + " has future confirmed bookings");
            Instant now = clock.instant();
            jdbc.sql("UPDATE location SET deleted_at = ? WHERE id = ?").params(toColumn(now), id).update();
            for (long staffId : staffIds) {
                archiveStaff(staffId, now);
            }
            invalidation.locationChanged(id, staffIds);
            staffIds.forEach(staffId -> publish(after, new ScheduleChanged(staffId, bookableDays(location))));
            return null;
        });
    }

    /** Changes a service; bookings made keep their time and price (they were agreed), new ones get the new values. */
    public ServiceOffering updateService(long id, ServicePatch patch) {
        return committed(after -> {
            ServiceOffering current = jdbc.sql("SELECT * FROM service WHERE id = ? AND deleted_at IS NULL FOR UPDATE")
                    .param(id).query(Catalog::service).optional().orElseThrow(() -> CatalogRefused.notFound("Service", id));
            ServiceOffering changed = new ServiceOffering(id, patch.name() == null ? current.name() : patch.name(),
                    or(patch.durationMinutes(), current.durationMinutes()),
                    or(patch.bufferBeforeMinutes(), current.bufferBeforeMinutes()),
                    or(patch.bufferAfterMinutes(), current.bufferAfterMinutes()),
                    patch.priceCents() == null ? current.priceCents() : patch.priceCents());
            jdbc.sql("""
                    UPDATE service SET name = ?, duration_minutes = ?, buffer_before_minutes = ?, buffer_after_minutes = ?,
                                       price_cents = ?
                    WHERE id = ?""")
                    .params(changed.name(), changed.durationMinutes(), changed.bufferBeforeMinutes(),
                            changed.bufferAfterMinutes(), changed.priceCents(), id)
                    .update();
            invalidation.serviceChanged(id);
            return changed;
        });
    }

    /**
     * Archives a service (nobody offers it any more); {@code in_use} while it has future confirmed bookings. The
     * rows of the staff who offer it are locked, as a confirmation locks its staff member's row before it checks
     * that the service is still offered.
     */
    public void deleteService(long id) {
        committed(after -> {
            catalog.requireActive("service", id);
            List<Long> staffIds = jdbc.sql("""
                    SELECT id FROM staff WHERE id IN (SELECT staff_id FROM staff_service WHERE service_id = ?)
                    ORDER BY id FOR UPDATE""").param(id).query(Long.class).list();
            List<ScheduledBooking> upcoming = bookings.upcomingOfService(id, clock.instant());
            refuseInUse(upcoming, zoneOfStaff(upcoming), "Service " + id + " has future confirmed bookings");
            jdbc.sql("UPDATE service SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")
                    .params(toColumn(clock.instant()), id).update();
            jdbc.sql("DELETE FROM staff_service WHERE service_id = ?").param(id).update();
            invalidation.serviceChanged(id);
            staffIds.forEach(invalidation::staffChanged);
            return null;
        });
    }

    /**
     * Changes a staff member. Moving them to another location moves their working hours into its time zone, so
     * their future bookings are {@code bookings_affected} (or cancelled with {@code cancelAffected}).
     */
    public StaffMember updateStaff(long id, StaffPatch patch, boolean cancelAffected) {
        return committed(after -> {
            lockStaff(id);
            StaffMember current = catalog.staffMember(id).orElseThrow(() -> CatalogRefused.notFound("Staff member", id));
            long locationId = patch.locationId() == null ? current.locationId() : patch.locationId();
            if (locationId != current.locationId()) {
                lockLocation(locationId);
                strandOrCancel(after, bookings.upcomingOfStaff(List.of(id), clock.instant()), booking -> true, cancelAffected,
                        zoneOf(current), "Moving staff member " + id + " to location " + locationId
                                + " moves their working hours");
            }
            List<Long> serviceIds = patch.serviceIds() == null ? current.serviceIds()
                    : catalog.activeServices(patch.serviceIds());
            String name = patch.name() == null ? current.name() : patch.name();
            jdbc.sql("UPDATE staff SET name = ?, location_id = ? WHERE id = ?").params(name, locationId, id).update();
            if (patch.serviceIds() != null) {
                catalog.offer(id, serviceIds);
            }
            invalidation.staffChanged(id);
            if (locationId != current.locationId()) {
                publish(after, new ScheduleChanged(id, bookableDays(catalog.location(locationId).orElseThrow())));
            }
            return new StaffMember(id, name, locationId, serviceIds);
        });
    }

    /** Archives a staff member; {@code in_use} while they have future confirmed bookings. */
    public void deleteStaff(long id) {
        committed(after -> {
            lockStaff(id);
            StaffMember member = catalog.staffMember(id).orElseThrow(() -> CatalogRefused.notFound("Staff member", id));
            refuseInUse(bookings.upcomingOfStaff(List.of(id), clock.instant()), zoneOf(member),
                    "Staff member " + id + " has future confirmed bookings");
            archiveStaff(id, clock.instant());
            invalidation.staffChanged(id);
            publish(after, new ScheduleChanged(id, bookableDays(catalog.location(member.locationId()).orElseThrow())));
            return null;
        });
    }

    /**
     * Replaces the whole weekly pattern (windows must not overlap on one day). Future bookings the new hours no
     * longer cover are {@code bookings_affected}, or cancelled with {@code cancelAffected}.
     */
    public List<WorkingWindow> replaceWorkingHours(long staffId, List<WorkingWindow> windows, boolean cancelAffected) {
        return committed(after -> {
            lockStaff(staffId);
            List<WorkingWindow> sorted = windows.stream()
                    .sorted(Comparator.comparing(WorkingWindow::dayOfWeek).thenComparing(WorkingWindow::start))
                    .toList();
            for (int i = 1; i < sorted.size(); i++) {
                WorkingWindow previous = sorted.get(i - 1);
                WorkingWindow current = sorted.get(i);
                if (previous.dayOfWeek() == current.dayOfWeek() && current.start().isBefore(previous.end())) {
                    throw CatalogRefused.invalid("Working hours overlap on " + current.dayOfWeek() + " at " + current.start());
                }
            }
            StaffMember member = catalog.staffMember(staffId).orElseThrow();
            Location location = catalog.location(member.locationId()).orElseThrow();
            ZoneId zone = location.timeZone();
            strandOrCancel(after, bookings.upcomingOfStaff(List.of(staffId), clock.instant()),
                    booking -> !StaffSchedule.withinHours(sorted, zone, booking.start(), booking.end()), cancelAffected,
                    zone, "The new working hours of staff member " + staffId + " leave out confirmed bookings");
            List<WorkingWindow> before = catalog.workingHours(staffId);
            jdbc.sql("DELETE FROM working_hours WHERE staff_id = ?").param(staffId).update();
            sorted.forEach(window -> jdbc.sql("""
                    INSERT INTO working_hours (staff_id, day_of_week, start_time, end_time) VALUES (?, ?, ?, ?)""")
                    .params(staffId, window.dayOfWeek().getValue(), window.start(), window.end()).update());
            invalidation.scheduleChanged(staffId);
            Set<DayOfWeek> changedWeekdays = new TreeSet<>();
            for (DayOfWeek day : DayOfWeek.values()) {
                if (!onDay(before, day).equals(onDay(sorted, day))) {
                    changedWeekdays.add(day);
                }
            }
            publish(after, new ScheduleChanged(staffId,
                    bookableDays(location).stream().filter(day -> changedWeekdays.contains(day.getDayOfWeek())).toList()));
            return sorted;
        });
    }

    /**
     * Adds time off. Future bookings whose time (with buffers) it overlaps are {@code bookings_affected}, or
     * cancelled with {@code cancelAffected}.
     */
    public TimeOff addTimeOff(long staffId, Instant start, Instant end, String reason, boolean cancelAffected) {
        return committed(after -> {
            lockStaff(staffId);
            StaffMember member = catalog.staffMember(staffId).orElseThrow();
            Location location = catalog.location(member.locationId()).orElseThrow();
            strandOrCancel(after, bookings.upcomingOfStaff(List.of(staffId), clock.instant()),
                    booking -> booking.overlaps(start, end), cancelAffected, location.timeZone(),
                    "Time off for staff member " + staffId + " overlaps confirmed bookings");
            long id = catalog.insert("INSERT INTO time_off (staff_id, start_at, end_at, reason) VALUES (?, ?, ?, ?)",
                    staffId, toColumn(start), toColumn(end), reason);
            invalidation.scheduleChanged(staffId);
            publish(after, new ScheduleChanged(staffId, daysOf(location, start, end)));
            return new TimeOff(id, staffId, start, end, reason);
        });
    }

    /** Removes time off (its time becomes bookable again); not_found when the staff member has no such time off. */
    public void deleteTimeOff(long staffId, long timeOffId) {
        committed(after -> {
            lockStaff(staffId);
            TimeOff off = catalog.timeOff(staffId).stream().filter(t -> t.id() == timeOffId).findFirst()
                    .orElseThrow(() -> CatalogRefused.notFound("Time off", timeOffId));
            jdbc.sql("DELETE FROM time_off WHERE id = ? AND staff_id = ?").params(timeOffId, staffId).update();
            invalidation.scheduleChanged(staffId);
            Location location = catalog.location(catalog.staffMember(staffId).orElseThrow().locationId()).orElseThrow();
            publish(after, new ScheduleChanged(staffId, daysOf(location, off.start(), off.end())));
            return null;
        });
    }

    /**
     * The affected bookings among {@code upcoming}: none, or cancelled when asked, and otherwise the change is
     * refused with them listed (the transaction rolls back; nothing was changed).
     */
    private void strandOrCancel(List<Runnable> after, List<ScheduledBooking> upcoming, Predicate<ScheduledBooking> affectedBy,
            boolean cancelAffected, ZoneId zone, String why) {
        List<ScheduledBooking> affected = upcoming.stream().filter(affectedBy).toList();
        if (affected.isEmpty()) {
            return;
        }
        if (!cancelAffected) {
            throw CatalogRefused.bookingsAffected(why + ": " + affected.size()
                    + " confirmed booking(s), listed in 'bookings'. Send \"cancelAffected\": true to cancel them "
                    + "(each customer is mailed) with the change.", Map.of("bookings", listed(affected, zone)));
        }
        after.add(bookings.cancelWithChange(affected));
    }

    /**
     * Runs a change in one read-committed transaction; what it leaves in {@code after} (live events, the mails of
     * cancelled bookings) runs once it committed, outside it, so their own writes commit on their own. The change
     * stands whatever they do.
     */
    private <T> T committed(Function<List<Runnable>, T> change) {
        List<Runnable> after = new ArrayList<>();
        T result = transactions.execute(status -> change.apply(after));
        for (Runnable followUp : after) {
            try {
                followUp.run();
            } catch (RuntimeException failure) {
                log.warn("A catalogue change committed but telling others of it failed", failure);
            }
        }
        return result;
    }

    private void publish(List<Runnable> after, Object event) {
        after.add(() -> events.publishEvent(event));
    }

    private static void refuseInUse(List<ScheduledBooking> upcoming, ZoneId zone, String why) {
        if (!upcoming.isEmpty()) {
            throw CatalogRefused.inUse(why + " (" + upcoming.size() + ", listed in 'bookings'); "
                    + "cancel or move them first.", Map.of("bookings", listed(upcoming, zone)));
        }
    }

    private static List<Map<String, Object>> listed(List<ScheduledBooking> bookings, ZoneId zone) {
        List<Map<String, Object>> listed = new ArrayList<>();
        for (ScheduledBooking booking : bookings) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", booking.id().toString());
            entry.put("staffId", booking.staffId());
            entry.put("serviceId", booking.serviceId());
            entry.put("start", WireTime.format(booking.start(), zone));
            entry.put("end", WireTime.format(booking.end(), zone));
            listed.add(entry);
        }
        return listed;
    }

    private ZoneId zoneOfStaff(List<ScheduledBooking> bookings) {
        return bookings.isEmpty() ? ZoneId.of("UTC")
                : zoneOf(catalog.staffMember(bookings.get(0).staffId()).orElseThrow());
    }

    private ZoneId zoneOf(StaffMember member) {
        return catalog.location(member.locationId()).orElseThrow().timeZone();
    }

    private Location lockLocation(long id) {
        return jdbc.sql("SELECT * FROM location WHERE id = ? AND deleted_at IS NULL FOR UPDATE").param(id)
                .query(Catalog::location).optional().orElseThrow(() -> CatalogRefused.notFound("Location", id));
    }

    private List<Long> lockStaffAt(long locationId) {
        return jdbc.sql("SELECT id FROM staff WHERE location_id = ? AND deleted_at IS NULL ORDER BY id FOR UPDATE")
                .param(locationId).query(Long.class).list();
    }

    private void lockStaff(long staffId) {
        if (!catalog.lockStaff(List.of(staffId))) {
            throw CatalogRefused.notFound("Staff member", staffId);
        }
    }

    private void archiveStaff(long staffId, Instant now) {
        jdbc.sql("UPDATE staff SET deleted_at = ? WHERE id = ?").params(toColumn(now), staffId).update();
        jdbc.sql("DELETE FROM staff_service WHERE staff_id = ?").param(staffId).update();
    }

    /** The days on which the location takes bookings now: today to the end of its booking window. */
    private List<LocalDate> bookableDays(Location location) {
        LocalDate today = clock.instant().atZone(location.timeZone()).toLocalDate();
        List<LocalDate> days = new ArrayList<>();
        for (int i = 0; i <= location.rules().bookingWindowDays(); i++) {
            days.add(today.plusDays(i));
        }
        return days;
    }

    /** The bookable days that [start, end) touches. */
    private List<LocalDate> daysOf(Location location, Instant start, Instant end) {
        LocalDate first = start.atZone(location.timeZone()).toLocalDate().minusDays(1); // buffers and long services
        LocalDate last = end.atZone(location.timeZone()).toLocalDate();
        return bookableDays(location).stream().filter(day -> !day.isBefore(first) && !day.isAfter(last)).toList();
    }

    private static List<WorkingWindow> onDay(List<WorkingWindow> windows, DayOfWeek day) {
        return windows.stream().filter(window -> window.dayOfWeek() == day).toList();
    }

    private static int or(Integer value, int fallback) {
        return Objects.requireNonNullElse(value, fallback);
    }
}
