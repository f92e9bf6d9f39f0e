package io.holdfast.hold;

/** What a store answered to a hold request. {@code hold} is set for CREATED and EXISTING. */
record HoldOutcome(Kind kind, SlotHold hold) {

    public enum Kind {
        /** A new hold was granted. */
        CREATED,
        /** The same client already holds exactly these items: the retry gets the same hold. */
        EXISTING,
        /** Another hold covers at least one of the granules; nothing was taken. */
        CONFLICT,
        /** The client would hold more slots than allowed; nothing was taken. */
        LIMIT_REACHED,
        /** The client's address would hold more slots than allowed; nothing was taken. */
        ADDRESS_LIMIT_REACHED
    }

    static HoldOutcome created(SlotHold hold) {
        return new HoldOutcome(Kind.CREATED, hold);
    }

    static HoldOutcome existing(SlotHold hold) {
        return new HoldOutcome(Kind.EXISTING, hold);
    }

    static HoldOutcome conflict() {
        return new HoldOutcome(Kind.CONFLICT, null);
    }

    static HoldOutcome addressLimitReached() {
        return new HoldOutcome(Kind.ADDRESS_LIMIT_REACHED, null);
    }

    static HoldOutcome limitReached() {
        return new HoldOutcome(Kind.LIMIT_REACHED, null);
    }
}
