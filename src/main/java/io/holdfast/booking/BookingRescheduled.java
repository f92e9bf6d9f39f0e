package io.holdfast.booking;

import java.time.Instant;

/** Published after a reschedule committed; {@code booking} is at its new time. */
public record BookingRescheduled(Booking booking, Instant previousStart, Instant previousEnd, Instant at) {
}
