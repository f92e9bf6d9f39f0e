package io.holdfast.ops;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.holdfast.booking.Booking;
import io.holdfast.booking.Bookings;
import io.holdfast.cache.CacheNames;
import io.holdfast.cache.CachedValue;
import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.Location;
import io.holdfast.catalog.StaffMember;
import io.holdfast.catalog.StaffSchedule;
import io.holdfast.catalog.TimeOff;
import io.holdfast.catalog.WorkingWindow;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Service;

/**
 * Today's figures of a location, per staff member: bookings, cancellations, revenue and utilisation (booked service
 * time over working time). Cached 300 s (seed 004); every booking, cancellation and catalogue change invalidates it.
 */
@Service
public class TodayDashboard {

    private final Catalog catalog;
    private final Bookings bookings;

    TodayDashboard(Catalog catalog, Bookings bookings) {
        this.catalog = catalog;
        this.bookings = bookings;
    }

    public record StaffToday(long staffId, String name, long locationId, LocalDate date, String timeZone, int bookings,
            int cancelled, long revenueCents, long bookedMinutes, long workingMinutes, double utilisation) {
    }

    public record LocationToday(long locationId, LocalDate date, List<StaffToday> staff) {
    }

    @Cacheable(cacheNames = CacheNames.DASHBOARD, key = "#location.id() + ':' + #date", sync = true)
    public LocationToday of(Location location, LocalDate date) {
        ZoneId zone = location.timeZone();
        Instant dayStart = date.atStartOfDay(zone).toInstant();
        Instant dayEnd = date.plusDays(1).atStartOfDay(zone).toInstant();
        List<StaffToday> lines = new ArrayList<>();
        for (StaffMember member : catalog.staff(location.id())) {
            int confirmed = 0;
            int cancelled = 0;
            long revenue = 0;
            long bookedMinutes = 0;
            for (Booking booking : bookings.onDay(date, member.id())) {
                if (booking.status() == Booking.Status.CONFIRMED) {
                    confirmed++;
                    revenue += booking.priceCents();
                    bookedMinutes += Duration.between(booking.start(), booking.end()).toMinutes();
                } else {
                    cancelled++;
                }
            }
            long working = catalog.schedule(member.id(), dayStart, dayEnd)
                    .map(schedule -> workingMinutes(schedule, date)).orElse(0L);
            double utilisation = working == 0 ? 0 : Math.round(1000.0 * bookedMinutes / working) / 1000.0;
            lines.add(new StaffToday(member.id(), member.name(), location.id(), date, zone.getId(), confirmed, cancelled,
                    revenue, bookedMinutes, working, utilisation));
        }
        return new LocationToday(location.id(), date, lines);
    }

    /** Working time of the date in real minutes, less the time off inside it. */
    private static long workingMinutes(StaffSchedule schedule, LocalDate date) {
        ZoneId zone = schedule.location().timeZone();
        long minutes = 0;
        for (WorkingWindow window : schedule.workingHours()) {
            if (window.dayOfWeek() != date.getDayOfWeek()) {
                continue;
            }
            Instant start = date.atTime(window.start()).atZone(zone).toInstant();
            Instant end = date.atTime(window.end()).atZone(zone).toInstant();
            long length = Duration.between(start, end).toMinutes();
            for (TimeOff off : schedule.timeOff()) {
                Instant from = off.start().isAfter(start) ? off.start() : start;
                Instant to = off.end().isBefore(end) ? off.end() : end;
                if (from.isBefore(to)) {
                    length -= Duration.between(from, to).toMinutes();
                }
            }
            minutes += Math.max(0, length);
        }
        return minutes;
    }

    @Configuration(proxyBeanMethods = false)
    static class Declaration {

        @Bean
        CachedValue dashboardCache() {
            return CachedValue.of(CacheNames.DASHBOARD, LocationToday.class);
        }
    }
}
