package io.holdfast.catalog;

import java.time.DayOfWeek;
import java.time.LocalTime;

/** One stretch of working time on a weekday, in the location's local time. */
public record WorkingWindow(DayOfWeek dayOfWeek, LocalTime start, LocalTime end) {
}
