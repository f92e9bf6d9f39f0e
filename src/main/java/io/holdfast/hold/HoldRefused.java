package io.holdfast.hold;

import io.holdfast.Refusal;

/** A hold cannot be placed, found or used. */
final class HoldRefused extends Refusal {

    private HoldRefused(String code, String detail) {
        super(code, detail);
    }

    static HoldRefused notFound(Object holdId) {
        return new HoldRefused("not_found", doesNotExist("Hold", holdId));
    }

    static HoldRefused invalid(String detail) {
        return new HoldRefused("validation_failed", detail);
    }

    static HoldRefused held(String detail) {
        return new HoldRefused("slot_held", detail);
    }

    static HoldRefused limitReached(String detail) {
        return new HoldRefused("hold_limit_reached", detail);
    }

    static HoldRefused lapsed(String detail) {
        return new HoldRefused("hold_expired", detail);
    }

    static HoldRefused tokenMismatch() {
        return new HoldRefused("forbidden", "The hold token does not match");
    }
}
