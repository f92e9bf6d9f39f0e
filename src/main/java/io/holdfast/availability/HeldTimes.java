package io.holdfast.availability;

import java.time.LocalDate;

/**
 * What availability needs to know of holds and selections, which the hold module keeps: so that availability
 * depends on no module that builds on it.
 */
public interface HeldTimes {

    /**
     * The day's version ({@code version}, made by {@link DayVersions#read}), who is looking at which start of the
     * day, and the live leased granules of the staff member in [fromGranule, toGranule] (none when from is past
     * to), read together: on Redis in one round trip. (A cached day's availability reuses such a read while the day's
     * version stands, for a second at most, and then reads only the version: {@code Availability.liveDay}.)
     */
    LiveDay liveDay(long staffId, LocalDate date, long fromGranule, long toGranule, VersionRead version);
}
