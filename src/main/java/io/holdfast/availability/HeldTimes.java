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
     * to), read together: on Redis in one round trip (a cached day's availability makes no other).
     */
    LiveDay liveDay(long staffId, LocalDate date, long fromGranule, long toGranule, VersionRead version);
}
