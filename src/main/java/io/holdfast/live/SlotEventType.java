package io.holdfast.live;

import java.util.Locale;

/** What happened to some slots of a staff member's day (API.md: the {@code type} of a {@code slot} event). */
public enum SlotEventType {
    SELECTED, UNSELECTED, HELD, RELEASED, EXPIRED, BOOKED, CANCELLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
