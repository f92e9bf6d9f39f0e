package io.holdfast.booking;

import java.time.Instant;

/**
 * Published after a reschedule committed; {@code booking} is at its new time. {@code revision} counts the booking's
 * changes, this one included (the calendar SEQUENCE).
 */
record BookingRescheduled(Booking booking, Instant previousStart, Instant previousEnd, Instant at,
        int revision) {
}
