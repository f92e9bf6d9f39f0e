package io.holdfast.catalog;

import java.time.ZoneId;

/** A place where staff work; availability is computed in its time zone on its slot grid. */
public record Location(long id, String name, ZoneId timeZone, int slotIntervalMinutes, BookingRules rules) {
}
