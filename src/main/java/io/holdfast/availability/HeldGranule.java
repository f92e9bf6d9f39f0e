package io.holdfast.availability;

import java.time.Instant;
import java.util.UUID;

/** One leased granule of a staff member's time, and the slot start of the hold item that leased it. */
public record HeldGranule(long staffId, long granule, UUID holdId, String clientId, Instant slotStart) {
}
