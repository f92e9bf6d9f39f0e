package io.holdfast.hold;

import java.time.Instant;

import io.holdfast.availability.Occupancy;

/** One appointment inside a hold: who, what, when, and the time (with buffers) it keeps the staff member busy. */
public record HoldItem(long staffId, long serviceId, Instant start, Instant end, Occupancy occupancy) {
}
