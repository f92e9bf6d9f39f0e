package io.holdfast.availability;

import java.time.LocalDate;
import java.util.List;

/**
 * What availability needs to know of holds and selections, which the hold module keeps: so that availability
 * depends on no module that builds on it.
 */
public interface HeldTimes {

    /** Live leased granules of one staff member in [fromGranule, toGranule], in one round trip. */
    List<HeldGranule> heldGranules(long staffId, long fromGranule, long toGranule);

    /** Who is looking at which start of this staff member's day. */
    List<Selection> selections(long staffId, LocalDate date);
}
