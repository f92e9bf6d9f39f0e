package io.holdfast.booking;

/**
 * Published inside a booking's transaction, before it commits (unlike {@link BookingConfirmed} and its siblings,
 * which follow the commit): listeners write what must stand or fall with the booking, such as its reminder jobs.
 * A listener that throws rolls the booking back, so listeners only write to the same database and never wait on
 * anything outside it.
 *
 * @param booking     the booking as it is now written (moved, or cancelled)
 * @param manageToken the manage token in clear: only when the booking was just made, else null
 */
public record BookingWritten(Change change, Booking booking, String manageToken) {

    public enum Change {
        CONFIRMED, RESCHEDULED, CANCELLED
    }
}
