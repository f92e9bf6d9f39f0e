package io.holdfast.availability;

import io.holdfast.catalog.Granules;
import java.time.LocalDate;
import java.time.ZoneId;

import io.holdfast.cache.CacheNames;
import io.holdfast.cache.CachedValue;
import io.holdfast.cache.StaffDayKey;
import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.Location;
import io.holdfast.catalog.StaffMember;
import io.holdfast.catalog.StaffSchedule;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Staff days through the availability cache: on a miss, the schedule and the booked granules of the window around
 * the date are read from the database (three queries: working hours, time off, booked granules; the staff member and
 * the location come from their caches), on a hit none.
 */
@Component
class StaffDays {

    private final Catalog catalog;
    private final BookedGranules booked;
    private final Cache cache;

    StaffDays(Catalog catalog, BookedGranules booked, CacheManager caches) {
        this.catalog = catalog;
        this.booked = booked;
        this.cache = caches.getCache(CacheNames.AVAILABILITY);
    }

    /** The staff member's day, or null when there is no such staff member. */
    StaffDay of(long staffId, LocalDate date) {
        return cache.get(new StaffDayKey(staffId, date), () -> load(staffId, date));
    }

    private StaffDay load(long staffId, LocalDate date) {
        StaffMember staff = catalog.staffMember(staffId).orElse(null);
        if (staff == null) {
            return null;
        }
        Location location = catalog.location(staff.locationId()).orElseThrow();
        ZoneId zone = location.timeZone();
        var from = StaffDay.windowStart(date, zone);
        var to = StaffDay.windowEnd(date, zone);
        // The staff member and the location as cached: a change to either drops this day too (CacheInvalidation's
        // staffChanged and locationChanged bump its staff tag), so reading them again from the database, as a
        // confirmation must after its lock, would only cost two statements on most holds (issue #13).
        StaffSchedule schedule = catalog.schedule(staff, location, from, to);
        return new StaffDay(schedule, StaffDay.ranges(booked.between(staffId, Granules.of(from),
                Granules.of(to) - 1).stream().mapToLong(Long::longValue).sorted().toArray()));
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class Declaration {

        @Bean
        CachedValue availabilityCache() {
            return CachedValue.of(CacheNames.AVAILABILITY, StaffDay.class);
        }
    }
}
