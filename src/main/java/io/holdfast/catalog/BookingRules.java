package io.holdfast.catalog;

/** Per-location booking rules (API.md defaults: 60 min notice, 60 days ahead, cancel up to 120 min before). */
public record BookingRules(int minNoticeMinutes, int bookingWindowDays, int cancelCutoffMinutes) {

    public static final BookingRules DEFAULTS = new BookingRules(60, 60, 120);
}
