package io.holdfast.availability;

import static io.holdfast.availability.BookableTimesTest.BERLIN;
import static io.holdfast.availability.BookableTimesTest.LONG_BEFORE;
import static io.holdfast.availability.BookableTimesTest.MONDAY;
import static io.holdfast.availability.BookableTimesTest.off;
import static io.holdfast.availability.BookableTimesTest.schedule;
import static io.holdfast.availability.BookableTimesTest.service;
import static io.holdfast.availability.BookableTimesTest.window;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;

import io.holdfast.catalog.BookingRules;
import io.holdfast.catalog.ServiceOffering;
import io.holdfast.catalog.StaffSchedule;
import org.junit.jupiter.api.Test;

/** Each start {@link BookableTimes#on} leaves out is refused by the rule that left it out. */
class UnbookableStartTest {

    private static final ServiceOffering HALF_HOUR = service(30, 0, 0);
    /** Monday 09:00-17:00 on a 30-minute grid, off 12:00-13:00; 60 minutes notice, 10 days ahead. */
    private static final StaffSchedule SCHEDULE = schedule(BERLIN, 30, new BookingRules(60, 10, 120),
            List.of(window(DayOfWeek.MONDAY, "09:00", "17:00")), List.of(off(BERLIN, MONDAY, "12:00", "13:00")));

    private static Instant at(LocalDate date, String time) {
        return ZonedDateTime.of(date, LocalTime.parse(time), BERLIN).toInstant();
    }

    private static Unbookable refusal(Instant start, Instant now) {
        assertThat(BookableTimes.on(SCHEDULE, HALF_HOUR, start.atZone(BERLIN).toLocalDate(), now))
                .as("the start is not listed").noneMatch(candidate -> candidate.instant().equals(start));
        return BookableTimes.refusal(SCHEDULE, HALF_HOUR, start, now);
    }

    @Test
    void aStartOutsideTheWindowIsOutsideWorkingHours() {
        assertThat(refusal(at(MONDAY, "08:00"), LONG_BEFORE)).isEqualTo(Unbookable.OUTSIDE_WORKING_HOURS);
        assertThat(refusal(at(MONDAY, "16:45"), LONG_BEFORE)).as("the service would end after 17:00")
                .isEqualTo(Unbookable.OUTSIDE_WORKING_HOURS);
        assertThat(refusal(at(MONDAY.plusDays(1), "10:00"), LONG_BEFORE)).as("no hours on Tuesday")
                .isEqualTo(Unbookable.OUTSIDE_WORKING_HOURS);
    }

    @Test
    void aStartBetweenGridLinesIsOffTheGrid() {
        assertThat(refusal(at(MONDAY, "10:10"), LONG_BEFORE)).isEqualTo(Unbookable.OFF_SLOT_GRID);
    }

    @Test
    void aStartWhoseServiceMeetsTimeOffIsTimeOff() {
        assertThat(refusal(at(MONDAY, "12:00"), LONG_BEFORE)).isEqualTo(Unbookable.TIME_OFF);
        assertThat(BookableTimes.on(SCHEDULE, HALF_HOUR, MONDAY, LONG_BEFORE)).as("11:30 ends as time off starts")
                .anyMatch(candidate -> candidate.instant().equals(at(MONDAY, "11:30")));
    }

    @Test
    void timeRulesComeFirst() {
        Instant now = at(MONDAY, "10:00");
        assertThat(refusal(at(MONDAY, "09:30"), now)).isEqualTo(Unbookable.IN_THE_PAST);
        assertThat(refusal(at(MONDAY, "10:30"), now)).isEqualTo(Unbookable.INSIDE_MINIMUM_NOTICE);
        assertThat(refusal(at(MONDAY.plusWeeks(2), "10:00"), now)).isEqualTo(Unbookable.BEYOND_BOOKING_WINDOW);
        assertThat(refusal(at(MONDAY.plusWeeks(2), "10:10"), now)).as("the window before the grid")
                .isEqualTo(Unbookable.BEYOND_BOOKING_WINDOW);
    }

    @Test
    void aWholeDayIsClosedWhenPastOrBeyondTheWindow() {
        Instant now = at(MONDAY, "10:00");
        assertThat(BookableTimes.closedDay(SCHEDULE, MONDAY.minusDays(1), now)).contains(Unbookable.IN_THE_PAST);
        assertThat(BookableTimes.closedDay(SCHEDULE, MONDAY.plusDays(11), now))
                .contains(Unbookable.BEYOND_BOOKING_WINDOW);
        assertThat(BookableTimes.closedDay(SCHEDULE, MONDAY, now)).isEmpty();
        assertThat(BookableTimes.closedDay(SCHEDULE, MONDAY.plusDays(10), now)).isEmpty();
    }
}
