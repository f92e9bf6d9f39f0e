package io.holdfast.availability;

import java.util.List;

/**
 * What changes on a staff member's day between two reads of its cached schedule, read together: the day's version,
 * who is looking at which start, and the leased granules of a range (see {@link HeldTimes#liveDay}).
 */
public record LiveDay(long version, List<Selection> selections, List<HeldGranule> held) {
}
