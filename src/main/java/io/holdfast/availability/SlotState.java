package io.holdfast.availability;

import java.util.Locale;

public enum SlotState {
    FREE, SELECTED, HELD, MINE, BOOKED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
