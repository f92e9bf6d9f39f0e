package io.holdfast.availability;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * One staff member's bookable start times for a service on a local date, each with its live state; {@code closed}
 * says why a whole day has none (past, or beyond the booking window), null otherwise.
 */
public record DaySlots(long staffId, long serviceId, LocalDate date, ZoneId timeZone, long version,
        String storageMode, List<Slot> slots, Unbookable closed) {

    public record Slot(Candidate candidate, SlotState state) {
    }
}
