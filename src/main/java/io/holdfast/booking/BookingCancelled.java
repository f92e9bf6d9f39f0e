package io.holdfast.booking;

import java.time.Instant;

/**
 * Published after a cancellation committed; {@code booking} is as it was before (its time is now free).
 * {@code revision} counts the booking's changes, this one included (the calendar SEQUENCE).
 */
record BookingCancelled(Booking booking, Instant at, int revision) {
}
