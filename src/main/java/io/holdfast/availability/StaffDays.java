package io.holdfast.availability;

import io.holdfast.catalog.Granules;
import java.time.LocalDate;
import java.time.ZoneId;

import io.holdfast.cache.CacheNames;
import io.holdfast.cache.CachedValue;
import io.holdfast.cache.InMemory;
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
 * the location come from their caches), on a hit none. The schedule alone has a cache of its own, which a booking
 * does not drop: a hold on a day a booking has just dropped checks its start against it instead of loading the day
 * (issue #13: that load was the largest part of a hold after a booking).
 */
@Component
class StaffDays {

    private final Catalog catalog;
    private final BookedGranules booked;
    private final Cache cache;
    private final Cache schedules;

    StaffDays(Catalog catalog, BookedGranules booked, CacheManager caches) {
        this.catalog = catalog;
        this.booked = booked;
        this.cache = caches.getCache(CacheNames.AVAILABILITY);
        this.schedules = caches.getCache(CacheNames.SCHEDULE);
    }

    /** The staff member's day, or null when there is no such staff member. */
    StaffDay of(long staffId, LocalDate date) {
        return cache.get(new StaffDayKey(staffId, date), () -> load(staffId, date));
    }

    /**
     * The staff member's day where this instance holds it in memory, without reading Redis or loading it; else the
     * schedule of the day alone, from its own cache (in memory mostly; loaded when missing: two queries, no
     * bookings). Null when there is no such staff member.
     */
    DayOrSchedule dayOrSchedule(long staffId, LocalDate date) {
        StaffDayKey key = new StaffDayKey(staffId, date);
        Cache.ValueWrapper cached = InMemory.of(cache, key);
        if (cached != null) {
            StaffDay day = (StaffDay) cached.get();
            return day == null ? null : new DayOrSchedule(day.schedule(), day);
        }
        StaffSchedule schedule = schedules.get(key, () -> loadSchedule(staffId, date));
        return schedule == null ? null : new DayOrSchedule(schedule, null);
    }

    /** A day's schedule, and the day itself (its bookings) when it was cached, or null. */
    record DayOrSchedule(StaffSchedule schedule, StaffDay day) {
    }

    private StaffDay load(long staffId, LocalDate date) {
        StaffSchedule schedule = loadSchedule(staffId, date);
        if (schedule == null) {
            return null;
        }
        ZoneId zone = schedule.location().timeZone();
        return new StaffDay(schedule, StaffDay.ranges(booked.between(staffId,
                Granules.of(StaffDay.windowStart(date, zone)), Granules.of(StaffDay.windowEnd(date, zone)) - 1)
                .stream().mapToLong(Long::longValue).sorted().toArray()));
    }

    /**
     * The schedule of the window around the date, from the database. Not from the schedule's cache when a day is
     * loaded: a local entry may still be the one from before a change whose tags the day's load already read as new.
     */
    private StaffSchedule loadSchedule(long staffId, LocalDate date) {
        StaffMember staff = catalog.staffMember(staffId).orElse(null);
        if (staff == null) {
            return null;
        }
        Location location = catalog.location(staff.locationId()).orElseThrow();
        ZoneId zone = location.timeZone();
        // The staff member and the location as cached: a change to either drops this day too (CacheInvalidation's
        // staffChanged and locationChanged bump its staff tag), so reading them again from the database, as a
        // confirmation must after its lock, would only cost two statements on most holds (issue #13).
        return catalog.schedule(staff, location, StaffDay.windowStart(date, zone), StaffDay.windowEnd(date, zone));
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class Declaration {

        @Bean
        CachedValue availabilityCache() {
            return CachedValue.of(CacheNames.AVAILABILITY, StaffDay.class);
        }

        @Bean
        CachedValue scheduleCache() {
            return CachedValue.of(CacheNames.SCHEDULE, StaffSchedule.class);
        }
    }
}
