package io.holdfast.hold.web;

import java.util.UUID;

/**
 * Whether a caller may move a booking, answered by the booking module (which depends on holds, not the other way
 * round). A hold that says it is {@code rescheduling} a booking may overlap that booking's own time only after this.
 */
public interface ReschedulingAccess {

    /**
     * Returns when the manage token or the {@code Authorization} header (the customer's guest session, or the admin)
     * may change the booking; otherwise throws what the booking endpoints answer (401, 403, 404).
     */
    void requireMayMove(UUID bookingId, String manageToken, String authorization);
}
