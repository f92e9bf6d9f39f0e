package io.holdfast.booking;

import io.holdfast.Refusal;

/** A booking cannot be made, read or changed: by whom, when, or because the time went to someone else. */
public final class BookingRefused extends Refusal {

    private BookingRefused(String code, String detail) {
        super(code, detail);
    }

    static BookingRefused notFound(String what, Object id) {
        return new BookingRefused("not_found", doesNotExist(what, id));
    }

    /** A calendar feed URL that is wrong or was replaced; the same answer either way, so it reveals nothing. */
    public static BookingRefused noFeed() {
        return new BookingRefused("not_found", "There is no calendar feed at this address; "
                + "a feed's address stops working when a new one is made for the staff member");
    }

    static BookingRefused booked(String detail) {
        return new BookingRefused("slot_booked", detail);
    }

    static BookingRefused unavailable(String detail) {
        return new BookingRefused("slot_unavailable", detail);
    }

    static BookingRefused invalid(String detail) {
        return new BookingRefused("validation_failed", detail);
    }

    static BookingRefused tooLate(String detail) {
        return new BookingRefused("too_late", detail);
    }

    /** The caller is known but may not do this. */
    static BookingRefused forbidden(String detail) {
        return new BookingRefused("forbidden", detail);
    }

    /** The caller did not say who it is (no session, no manage token). */
    static BookingRefused unauthorized(String detail) {
        return new BookingRefused("unauthorized", detail);
    }
}
