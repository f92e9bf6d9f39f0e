package io.holdfast.booking;

/**
 * Published inside a booking's transaction, before it commits (unlike {@link BookingConfirmed} and its siblings,
 * which follow the commit): listeners write what must stand or fall with the booking, such as its reminder jobs.
 * A listener that throws rolls the booking back, so listeners only write to the same database and never wait on
 * anything outside it.
 *
 * @param booking     the booking as it is now written (moved, or cancelled)
 * @param manageToken the manage token in clear: only when the booking was just made, else null
 * @param previous    the booking as it was before a reschedule (its old time and staff member), else null
 */
public record BookingWritten(Change change, Booking booking, String manageToken, Booking previous) {

    static BookingWritten confirmed(Booking booking, String manageToken) {
        return new BookingWritten(Change.CONFIRMED, booking, manageToken, null);
    }

    static BookingWritten rescheduled(Booking booking, Booking previous) {
        return new BookingWritten(Change.RESCHEDULED, booking, null, previous);
    }

    static BookingWritten cancelled(Booking booking) {
        return new BookingWritten(Change.CANCELLED, booking, null, null);
    }

    public enum Change {
        CONFIRMED, RESCHEDULED, CANCELLED
    }
}
