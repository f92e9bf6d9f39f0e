package io.holdfast.availability;

/**
 * The schedule rule that keeps a start time off the list of bookable times: what a {@code slot_unavailable}
 * refusal names, and (for whole days) the {@code reason} an empty availability answer gives.
 */
public enum Unbookable {
    IN_THE_PAST("in the past"),
    BEYOND_BOOKING_WINDOW("beyond the booking window"),
    INSIDE_MINIMUM_NOTICE("inside the minimum notice"),
    OUTSIDE_WORKING_HOURS("outside working hours"),
    TIME_OFF("during time off"),
    OFF_SLOT_GRID("off the slot grid");

    private final String description;

    Unbookable(String description) {
        this.description = description;
    }

    /** The wire form: {@code beyond_booking_window}. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** For people: "outside working hours". */
    public String description() {
        return description;
    }
}
