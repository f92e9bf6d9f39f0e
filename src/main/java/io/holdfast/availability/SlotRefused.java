package io.holdfast.availability;

import io.holdfast.Refusal;

/** A time cannot be had: the schedule does not offer it ({@code slot_unavailable}), or it is booked. */
public final class SlotRefused extends Refusal {

    private SlotRefused(String code, String detail) {
        super(code, detail);
    }

    /** The schedule does not offer the time (the detail names the rule), or no longer does. */
    static SlotRefused unavailable(String detail) {
        return new SlotRefused("slot_unavailable", detail);
    }

    /** A confirmed booking occupies the time. */
    static SlotRefused booked(String detail) {
        return new SlotRefused("slot_booked", detail);
    }

    static SlotRefused notOffered(long staffId, long serviceId) {
        return new SlotRefused("not_found", "Staff member " + staffId + " does not offer service " + serviceId);
    }
}
