package io.holdfast.availability;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;

import io.holdfast.catalog.StaffSchedule;

/**
 * The expensive, cacheable part of a staff member's availability on one local date: the schedule (staff, location,
 * working hours, the time off around the date) and the confirmed bookings around it, as sorted, disjoint granule
 * ranges {@code [from, to)} flattened into one array. Holds and selections are never part of it: they are laid over
 * it live at read time.
 */
record StaffDay(StaffSchedule schedule, long[] booked) {

    /** The longest buffer and service Holdfast accepts (see the admin catalogue API). */
    static final Duration LONGEST_BUFFER = Duration.ofMinutes(240);
    static final Duration LONGEST_SERVICE = Duration.ofMinutes(1440);

    /**
     * The time whose bookings and time off can touch the date's slots: from the longest buffer before the day's
     * start to the longest service and buffer after its end (a slot may start at 23:45 and last 24 h). Narrow on
     * purpose: a booking invalidates only the days whose window it touches (usually its own day and the day before).
     */
    static Instant windowStart(LocalDate date, ZoneId zone) {
        return date.atStartOfDay(zone).toInstant().minus(LONGEST_BUFFER);
    }

    static Instant windowEnd(LocalDate date, ZoneId zone) {
        return date.plusDays(1).atStartOfDay(zone).toInstant().plus(LONGEST_SERVICE).plus(LONGEST_BUFFER);
    }

    boolean bookedAt(long granule) {
        int low = 0;
        int high = booked.length / 2 - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (granule < booked[2 * mid]) {
                high = mid - 1;
            } else if (granule >= booked[2 * mid + 1]) {
                low = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Merges sorted granules into ranges. */
    static long[] ranges(long[] sortedGranules) {
        long[] ranges = new long[sortedGranules.length * 2];
        int n = 0;
        for (long granule : sortedGranules) {
            if (n > 0 && ranges[n - 1] == granule) {
                ranges[n - 1] = granule + 1;
            } else {
                ranges[n++] = granule;
                ranges[n++] = granule + 1;
            }
        }
        return Arrays.copyOf(ranges, n);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StaffDay day && schedule.equals(day.schedule) && Arrays.equals(booked, day.booked);
    }

    @Override
    public int hashCode() {
        return 31 * schedule.hashCode() + Arrays.hashCode(booked);
    }

    @Override
    public String toString() {
        return "StaffDay[" + schedule.staff().id() + ", booked=" + Arrays.toString(booked) + "]";
    }
}
