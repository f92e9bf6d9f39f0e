package io.holdfast.booking;

import java.util.List;

/**
 * Published after a booking transaction committed: the bookings of one hold (one per item), each with the one copy
 * of its manage token in clear.
 */
record BookingConfirmed(List<Bookings.Confirmed> bookings) {

    public BookingConfirmed {
        bookings = List.copyOf(bookings);
    }
}
