package io.holdfast.booking;

import java.time.Instant;

/**
 * Published, synchronously and after the change committed, when a confirmed booking took or gave up a time, so that
 * viewers see it before the answer goes out.
 */
public record BookedTimeChanged(boolean booked, long staffId, Instant start) {
}
