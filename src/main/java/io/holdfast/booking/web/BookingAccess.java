package io.holdfast.booking.web;

import java.util.UUID;

import io.holdfast.booking.Bookings;
import io.holdfast.hold.web.ReschedulingAccess;
import io.holdfast.identity.GuestSession;
import io.holdfast.identity.GuestSessions;
import io.holdfast.web.AdminToken;
import org.springframework.stereotype.Component;

/**
 * Who a request acts as on an existing booking, from its Manage-Token and Authorization headers: shared by the
 * booking endpoints and by a hold that is the new time of a reschedule, so both accept and refuse the same callers.
 */
@Component
class BookingAccess implements ReschedulingAccess {

    private final Bookings bookings;
    private final AdminToken adminToken;
    private final GuestSessions sessions;

    BookingAccess(Bookings bookings, AdminToken adminToken, GuestSessions sessions) {
        this.bookings = bookings;
        this.adminToken = adminToken;
        this.sessions = sessions;
    }

    /** The bearer token is the admin's or a guest session; anything else counts as no credential. */
    Bookings.Access of(String manageToken, String authorization) {
        if (adminToken.authorizes(authorization)) {
            return new Bookings.Access(manageToken, null, true);
        }
        String sessionEmail = sessions.fromAuthorization(authorization).map(GuestSession::email).orElse(null);
        return new Bookings.Access(manageToken, sessionEmail, false);
    }

    @Override
    public void requireMayMove(UUID bookingId, String manageToken, String authorization) {
        bookings.find(bookingId, of(manageToken, authorization));
    }
}
