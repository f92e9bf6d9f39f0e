package io.holdfast.live;

import java.util.Locale;

/**
 * What happened to some slots of a staff member's day (API.md: the {@code type} of a {@code slot} event).
 * {@code SCHEDULE}: the working hours, time off or booking rules changed; no times are listed, the day is refetched.
 */
enum SlotEventType {
    SELECTED, UNSELECTED, HELD, RELEASED, EXPIRED, BOOKED, CANCELLED, SCHEDULE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
