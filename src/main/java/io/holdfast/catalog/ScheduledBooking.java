package io.holdfast.catalog;

import java.time.Instant;
import java.util.UUID;

/**
 * A confirmed booking as a catalogue change sees it: whose time it is and what it occupies (the service time
 * {@code start}-{@code end}, and with its buffers {@code occupiedFrom}-{@code occupiedTo}, as its booked granules
 * say).
 */
public record ScheduledBooking(UUID id, long staffId, long serviceId, Instant start, Instant end,
        Instant occupiedFrom, Instant occupiedTo) {

    boolean overlaps(Instant from, Instant to) {
        return occupiedFrom.isBefore(to) && from.isBefore(occupiedTo);
    }
}
