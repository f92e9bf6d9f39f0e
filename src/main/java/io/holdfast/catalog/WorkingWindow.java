package io.holdfast.catalog;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** One stretch of working time on a weekday, in the location's local time. */
public record WorkingWindow(DayOfWeek dayOfWeek, LocalTime start, LocalTime end) {

    /** When the window opens on that date; a start in the autumn overlap is read as the earlier instant. */
    public Instant startOn(LocalDate date, ZoneId zone) {
        return ZonedDateTime.ofLocal(date.atTime(start), zone, null).withEarlierOffsetAtOverlap().toInstant();
    }

    /** When the window closes on that date; an end in the autumn overlap is read as the later instant. */
    public Instant endOn(LocalDate date, ZoneId zone) {
        return ZonedDateTime.ofLocal(date.atTime(end), zone, null).withLaterOffsetAtOverlap().toInstant();
    }
}
