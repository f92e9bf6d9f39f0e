package io.holdfast.availability;

import static io.holdfast.availability.BookableTimesTest.service;
import static io.holdfast.availability.BookableTimesTest.starts;
import static io.holdfast.availability.BookableTimesTest.times;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.holdfast.catalog.BookingRules;
import io.holdfast.catalog.StaffSchedule;
import io.holdfast.catalog.WorkingWindow;
import org.junit.jupiter.api.Test;

/**
 * Daylight-saving changes: slots step along the wall clock, a time in the spring-forward gap does not exist, a
 * time in the autumn overlap exists twice, and the service must end by the window end in real (elapsed) time.
 */
class BookableTimesDstTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** Open every day in the given hours, 30-minute grid, no notice, 60-day window. */
    static StaffSchedule everyDay(ZoneId zone, String from, String to) {
        List<WorkingWindow> hours = new ArrayList<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            hours.add(new WorkingWindow(day, LocalTime.parse(from), LocalTime.parse(to)));
        }
        return BookableTimesTest.schedule(zone, 30, new BookingRules(0, 60, 120), hours, List.of());
    }

    static List<Candidate> on(StaffSchedule schedule, int duration, String date) {
        LocalDate day = LocalDate.parse(date);
        // "Now" is a few days before, so notice and window never interfere.
        Instant now = day.minusDays(4).atStartOfDay(schedule.location().timeZone()).toInstant();
        return BookableTimes.on(schedule, service(duration, 0, 0), day, now);
    }

    static String first(List<Candidate> candidates) {
        return starts(candidates).get(0);
    }

    // ---------------------------------------------------------------- Europe/Berlin

    final StaffSchedule berlinOffice = everyDay(BERLIN, "09:00", "17:00");
    final StaffSchedule berlinNight = everyDay(BERLIN, "00:00", "05:00");

    @Test
    void berlinNineOClockChangesOffsetAcrossSpringForward() {
        assertThat(first(on(berlinOffice, 30, "2026-03-28"))).isEqualTo("2026-03-28T09:00:00+01:00");
        assertThat(first(on(berlinOffice, 30, "2026-03-29"))).isEqualTo("2026-03-29T09:00:00+02:00");
        assertThat(first(on(berlinOffice, 30, "2026-03-30"))).isEqualTo("2026-03-30T09:00:00+02:00");
        assertThat(on(berlinOffice, 30, "2026-03-29")).hasSize(16);
    }

    @Test
    void berlinNineOClockChangesOffsetAcrossFallBack() {
        assertThat(first(on(berlinOffice, 30, "2026-10-24"))).isEqualTo("2026-10-24T09:00:00+02:00");
        assertThat(first(on(berlinOffice, 30, "2026-10-25"))).isEqualTo("2026-10-25T09:00:00+01:00");
        assertThat(first(on(berlinOffice, 30, "2026-10-26"))).isEqualTo("2026-10-26T09:00:00+01:00");
        assertThat(on(berlinOffice, 30, "2026-10-25")).hasSize(16);
    }

    @Test
    void berlinSpringForwardNightSkipsTheMissingHour() {
        var slots = on(berlinNight, 30, "2026-03-29");
        assertThat(times(slots)).doesNotContain("02:00", "02:30");
        assertThat(starts(slots)).containsExactly(
                "2026-03-29T00:00:00+01:00", "2026-03-29T00:30:00+01:00",
                "2026-03-29T01:00:00+01:00", "2026-03-29T01:30:00+01:00",
                "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00",
                "2026-03-29T04:00:00+02:00", "2026-03-29T04:30:00+02:00");
        // 01:30 CET and 03:00 CEST are only 30 real minutes apart.
        assertThat(Duration.between(slots.get(3).instant(), slots.get(4).instant())).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void berlinSpringForwardLastSixtyMinuteSlotEndsAtTheWindowEnd() {
        var slots = on(berlinNight, 60, "2026-03-29");
        assertThat(starts(slots)).last().isEqualTo("2026-03-29T04:00:00+02:00");
        assertThat(times(slots)).doesNotContain("04:30");
        Instant windowEnd = Instant.parse("2026-03-29T03:00:00Z"); // 05:00+02:00
        assertThat(slots.get(slots.size() - 1).instant().plus(Duration.ofMinutes(60))).isEqualTo(windowEnd);
    }

    @Test
    void berlinSpringForwardWindowIsAsShortAsItReallyIs() {
        // 01:00-03:30 on the wall clock is only 90 real minutes (00:00Z-01:30Z).
        var short90 = everyDay(BERLIN, "01:00", "03:30");
        assertThat(starts(on(short90, 60, "2026-03-29"))).containsExactly(
                "2026-03-29T01:00:00+01:00", "2026-03-29T01:30:00+01:00");
        // 90 minutes fit only from 01:00; from 01:30 CET they would end at 04:00 CEST, after 03:30 CEST.
        assertThat(starts(on(short90, 90, "2026-03-29"))).containsExactly("2026-03-29T01:00:00+01:00");
        // On an ordinary day the same window takes 90 minutes from 01:00 and 01:30 and 02:00.
        assertThat(times(on(short90, 90, "2026-03-22"))).containsExactly("01:00", "01:30", "02:00");
    }

    @Test
    void berlinAWindowStartingInsideTheGapStartsAtTheFirstRealTime() {
        var fromGap = everyDay(BERLIN, "02:00", "04:00");
        assertThat(starts(on(fromGap, 30, "2026-03-29"))).containsExactly(
                "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00");
    }

    @Test
    void berlinFallBackNightListsTheRepeatedTimesTwice() {
        var slots = on(berlinNight, 30, "2026-10-25");
        assertThat(starts(slots)).containsExactly(
                "2026-10-25T00:00:00+02:00", "2026-10-25T00:30:00+02:00",
                "2026-10-25T01:00:00+02:00", "2026-10-25T01:30:00+02:00",
                "2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00",
                "2026-10-25T02:00:00+01:00", "2026-10-25T02:30:00+01:00",
                "2026-10-25T03:00:00+01:00", "2026-10-25T03:30:00+01:00",
                "2026-10-25T04:00:00+01:00", "2026-10-25T04:30:00+01:00");
        List<Candidate> twoOClock = slots.stream().filter(c -> c.time().equals(LocalTime.of(2, 0))).toList();
        assertThat(twoOClock).hasSize(2);
        assertThat(Duration.between(twoOClock.get(0).instant(), twoOClock.get(1).instant()))
                .isEqualTo(Duration.ofHours(1));
        assertThat(slots).extracting(Candidate::instant).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void berlinFallBackLastSixtyMinuteSlotEndsAtTheWindowEnd() {
        var slots = on(berlinNight, 60, "2026-10-25");
        assertThat(starts(slots)).last().isEqualTo("2026-10-25T04:00:00+01:00");
        assertThat(times(slots)).doesNotContain("04:30");
        Instant windowEnd = Instant.parse("2026-10-25T04:00:00Z"); // 05:00+01:00
        assertThat(slots.get(slots.size() - 1).instant().plus(Duration.ofMinutes(60))).isEqualTo(windowEnd);
        // Both 02:00 and both 02:30 are there: the window really lasts six hours.
        assertThat(times(slots).stream().filter("02:30"::equals)).hasSize(2);
    }

    @Test
    void berlinFallBackWindowIsAsLongAsItReallyIs() {
        // 01:00-03:00 on the wall clock is three real hours (23:00Z-02:00Z).
        var window = everyDay(BERLIN, "01:00", "03:00");
        // A wall-clock check would drop 02:30+02:00 (02:30 + 60 min = 03:30 > 03:00); it really ends 01:30Z.
        assertThat(starts(on(window, 60, "2026-10-25"))).containsExactly(
                "2026-10-25T01:00:00+02:00", "2026-10-25T01:30:00+02:00",
                "2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00",
                "2026-10-25T02:00:00+01:00");
    }

    @Test
    void berlinAWindowStartingInsideTheOverlapIncludesBothInstants() {
        var fromOverlap = everyDay(BERLIN, "02:00", "03:00");
        assertThat(starts(on(fromOverlap, 30, "2026-10-25"))).containsExactly(
                "2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00",
                "2026-10-25T02:00:00+01:00", "2026-10-25T02:30:00+01:00");
    }

    // ---------------------------------------------------------------- America/New_York

    final StaffSchedule newYorkOffice = everyDay(NEW_YORK, "09:00", "17:00");
    final StaffSchedule newYorkNight = everyDay(NEW_YORK, "00:00", "05:00");

    @Test
    void newYorkNineOClockChangesOffsetAcrossSpringForward() {
        assertThat(first(on(newYorkOffice, 30, "2026-03-07"))).isEqualTo("2026-03-07T09:00:00-05:00");
        assertThat(first(on(newYorkOffice, 30, "2026-03-08"))).isEqualTo("2026-03-08T09:00:00-04:00");
    }

    @Test
    void newYorkNineOClockChangesOffsetAcrossFallBack() {
        assertThat(first(on(newYorkOffice, 30, "2026-10-31"))).isEqualTo("2026-10-31T09:00:00-04:00");
        assertThat(first(on(newYorkOffice, 30, "2026-11-01"))).isEqualTo("2026-11-01T09:00:00-05:00");
    }

    @Test
    void newYorkSpringForwardNightSkipsTheMissingHour() {
        var slots = on(newYorkNight, 30, "2026-03-08");
        assertThat(starts(slots)).containsExactly(
                "2026-03-08T00:00:00-05:00", "2026-03-08T00:30:00-05:00",
                "2026-03-08T01:00:00-05:00", "2026-03-08T01:30:00-05:00",
                "2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00",
                "2026-03-08T04:00:00-04:00", "2026-03-08T04:30:00-04:00");
        var sixty = on(newYorkNight, 60, "2026-03-08");
        assertThat(starts(sixty)).last().isEqualTo("2026-03-08T04:00:00-04:00");
        assertThat(sixty.get(sixty.size() - 1).instant().plus(Duration.ofHours(1)))
                .isEqualTo(Instant.parse("2026-03-08T09:00:00Z"));
    }

    @Test
    void newYorkFallBackNightListsTheRepeatedTimesTwice() {
        var slots = on(newYorkNight, 30, "2026-11-01");
        assertThat(starts(slots)).containsExactly(
                "2026-11-01T00:00:00-04:00", "2026-11-01T00:30:00-04:00",
                "2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-04:00",
                "2026-11-01T01:00:00-05:00", "2026-11-01T01:30:00-05:00",
                "2026-11-01T02:00:00-05:00", "2026-11-01T02:30:00-05:00",
                "2026-11-01T03:00:00-05:00", "2026-11-01T03:30:00-05:00",
                "2026-11-01T04:00:00-05:00", "2026-11-01T04:30:00-05:00");
        List<Candidate> oneThirty = slots.stream().filter(c -> c.time().equals(LocalTime.of(1, 30))).toList();
        assertThat(Duration.between(oneThirty.get(0).instant(), oneThirty.get(1).instant()))
                .isEqualTo(Duration.ofHours(1));
        var sixty = on(newYorkNight, 60, "2026-11-01");
        assertThat(starts(sixty)).last().isEqualTo("2026-11-01T04:00:00-05:00");
        assertThat(sixty.get(sixty.size() - 1).instant().plus(Duration.ofHours(1)))
                .isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
    }
}
