package io.holdfast.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import io.holdfast.catalog.BookingRules;
import io.holdfast.catalog.Location;
import io.holdfast.catalog.ServiceOffering;
import io.holdfast.catalog.StaffMember;
import io.holdfast.catalog.StaffSchedule;
import io.holdfast.catalog.TimeOff;
import io.holdfast.catalog.WorkingWindow;
import io.holdfast.web.WireTime;
import org.junit.jupiter.api.Test;

/** The pure slot arithmetic, on hand-built schedules (no Spring, no database). */
class BookableTimesTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** A Monday well away from any DST change. */
    static final LocalDate MONDAY = LocalDate.of(2026, 6, 15);
    /** A week before MONDAY, so neither notice nor window gets in the way unless a test wants it to. */
    static final Instant LONG_BEFORE = Instant.parse("2026-06-08T00:00:00Z");

    // ---------------------------------------------------------------- builders

    static ServiceOffering service(int duration, int bufferBefore, int bufferAfter) {
        return new ServiceOffering(7, "Service", duration, bufferBefore, bufferAfter, 2500);
    }

    static WorkingWindow window(DayOfWeek day, String start, String end) {
        return new WorkingWindow(day, LocalTime.parse(start), LocalTime.parse(end));
    }

    static TimeOff off(ZoneId zone, LocalDate date, String start, String end) {
        return new TimeOff(1, 3, ZonedDateTime.of(date, LocalTime.parse(start), zone).toInstant(),
                ZonedDateTime.of(date, LocalTime.parse(end), zone).toInstant(), "off");
    }

    static StaffSchedule schedule(ZoneId zone, int interval, BookingRules rules, List<WorkingWindow> hours,
            List<TimeOff> timeOff) {
        Location location = new Location(2, "Salon", zone, interval, rules);
        StaffMember staff = new StaffMember(3, "Staff", 2, List.of(7L));
        return new StaffSchedule(staff, location, hours, timeOff);
    }

    static StaffSchedule schedule(int interval, List<WorkingWindow> hours, List<TimeOff> timeOff) {
        return schedule(BERLIN, interval, new BookingRules(0, 60, 120), hours, timeOff);
    }

    static List<String> times(List<Candidate> candidates) {
        return candidates.stream().map(c -> c.time().toString()).toList();
    }

    static List<String> starts(List<Candidate> candidates) {
        return candidates.stream().map(c -> WireTime.format(c.start())).toList();
    }

    static List<String> grid(String from, String toExclusive, int step) {
        List<String> result = new ArrayList<>();
        for (LocalTime t = LocalTime.parse(from); t.isBefore(LocalTime.parse(toExclusive)); t = t.plusMinutes(step)) {
            result.add(t.toString());
        }
        return result;
    }

    // ---------------------------------------------------------------- working hours

    @Test
    void severalWindowsADayLeaveTheGapAsABreak() {
        var schedule = schedule(30, List.of(window(DayOfWeek.MONDAY, "09:00", "12:00"),
                window(DayOfWeek.MONDAY, "13:00", "17:00")), List.of());
        var slots = BookableTimes.on(schedule, service(30, 0, 0), MONDAY, LONG_BEFORE);
        List<String> expected = new ArrayList<>(grid("09:00", "12:00", 30));
        expected.addAll(grid("13:00", "17:00", 30));
        assertThat(times(slots)).containsExactlyElementsOf(expected);
        assertThat(times(slots)).doesNotContain("12:00", "12:30");
    }

    @Test
    void windowsAreListedInTimeOrderWhateverTheirStoredOrder() {
        var schedule = schedule(60, List.of(window(DayOfWeek.MONDAY, "14:00", "16:00"),
                window(DayOfWeek.MONDAY, "09:00", "11:00")), List.of());
        var slots = BookableTimes.on(schedule, service(60, 0, 0), MONDAY, LONG_BEFORE);
        assertThat(times(slots)).containsExactly("09:00", "10:00", "14:00", "15:00");
    }

    @Test
    void otherWeekdaysWindowsDoNotApply() {
        var schedule = schedule(30, List.of(window(DayOfWeek.TUESDAY, "09:00", "17:00")), List.of());
        assertThat(BookableTimes.on(schedule, service(30, 0, 0), MONDAY, LONG_BEFORE)).isEmpty();
        assertThat(BookableTimes.on(schedule, service(30, 0, 0), MONDAY.plusDays(1), LONG_BEFORE)).hasSize(16);
    }

    @Test
    void theServiceMustEndByTheWindowEnd() {
        var schedule = schedule(30, List.of(window(DayOfWeek.MONDAY, "09:00", "12:00"),
                window(DayOfWeek.MONDAY, "13:00", "14:00")), List.of());
        // 60 minutes: 11:00 ends exactly at 12:00 (allowed), 11:30 would run into the break.
        assertThat(times(BookableTimes.on(schedule, service(60, 0, 0), MONDAY, LONG_BEFORE)))
                .containsExactly("09:00", "09:30", "10:00", "10:30", "11:00", "13:00");
        // 45 minutes on a 30-minute grid: 11:00 ends 11:45, 11:30 would end 12:15.
        assertThat(times(BookableTimes.on(schedule, service(45, 0, 0), MONDAY, LONG_BEFORE)))
                .containsExactly("09:00", "09:30", "10:00", "10:30", "11:00", "13:00");
        // Longer than the window: nothing in it.
        assertThat(times(BookableTimes.on(schedule, service(90, 0, 0), MONDAY, LONG_BEFORE)))
                .containsExactly("09:00", "09:30", "10:00", "10:30");
    }

    @Test
    void slotsStepByTheIntervalFromEachWindowStart() {
        var schedule = schedule(15, List.of(window(DayOfWeek.MONDAY, "09:10", "10:00"),
                window(DayOfWeek.MONDAY, "10:35", "11:20")), List.of());
        var slots = BookableTimes.on(schedule, service(20, 0, 0), MONDAY, LONG_BEFORE);
        assertThat(times(slots)).containsExactly("09:10", "09:25", "09:40", "10:35", "10:50");
    }

    @Test
    void theIntervalIsIndependentOfTheServiceDuration() {
        var schedule = schedule(20, List.of(window(DayOfWeek.MONDAY, "09:00", "10:00")), List.of());
        assertThat(times(BookableTimes.on(schedule, service(5, 0, 0), MONDAY, LONG_BEFORE)))
                .containsExactly("09:00", "09:20", "09:40");
        assertThat(times(BookableTimes.on(schedule, service(40, 0, 0), MONDAY, LONG_BEFORE)))
                .containsExactly("09:00", "09:20");
    }

    @Test
    void aWindowEndingAtMidnightDoesNotWrapAround() {
        var schedule = schedule(30, List.of(window(DayOfWeek.MONDAY, "22:00", "23:59")), List.of());
        var slots = BookableTimes.on(schedule, service(30, 0, 0), MONDAY, LONG_BEFORE);
        assertThat(times(slots)).containsExactly("22:00", "22:30", "23:00");
    }

    @Test
    void candidatesCarryTheLocalTimeAndTheZonedStart() {
        var schedule = schedule(30, List.of(window(DayOfWeek.MONDAY, "09:00", "10:00")), List.of());
        var slots = BookableTimes.on(schedule, service(30, 0, 0), MONDAY, LONG_BEFORE);
        assertThat(starts(slots)).containsExactly("2026-06-15T09:00:00+02:00", "2026-06-15T09:30:00+02:00");
        assertThat(slots.get(0).instant()).isEqualTo(Instant.parse("2026-06-15T07:00:00Z"));
    }

    // ---------------------------------------------------------------- time off and buffers

    @Test
    void timeOffRemovesTheSlotsItOverlaps() {
        var schedule = schedule(30, List.of(window(DayOfWeek.MONDAY, "09:00", "12:00")),
                List.of(off(BERLIN, MONDAY, "10:00", "11:00")));
        // 09:30-10:00 only touches the time off; 11:00 starts when it ends.
        assertThat(times(BookableTimes.on(schedule, service(30, 0, 0), MONDAY, LONG_BEFORE)))
                .containsExactly("09:00", "09:30", "11:00", "11:30");
    }

    @Test
    void aServiceRunningIntoTimeOffIsRemovedToo() {
        var schedule = schedule(30, List.of(window(DayOfWeek.MONDAY, "09:00", "12:00")),
                List.of(off(BERLIN, MONDAY, "10:15", "10:45")));
        assertThat(times(BookableTimes.on(schedule, service(60, 0, 0), MONDAY, LONG_BEFORE)))
                .containsExactly("09:00", "11:00");
    }

    @Test
    void timeOffOverlapUsesTheOccupancyIncludingBuffers() {
        var schedule = schedule(30, List.of(window(DayOfWeek.MONDAY, "09:00", "13:00")),
                List.of(off(BERLIN, MONDAY, "10:00", "11:00")));
        // Without buffers 09:30 and 11:00 would be bookable (they only touch the time off).
        // 09:30 + 30 min + 15 min clean-up runs to 10:15; 11:00 - 10 min preparation starts at 10:50.
        var slots = BookableTimes.on(schedule, service(30, 10, 15), MONDAY, LONG_BEFORE);
        assertThat(times(slots)).containsExactly("09:00", "11:30", "12:00", "12:30");
    }

    @Test
    void aBufferAloneTouchingTheTimeOffIsFine() {
        var schedule = schedule(30, List.of(window(DayOfWeek.MONDAY, "09:00", "12:00")),
                List.of(off(BERLIN, MONDAY, "10:00", "11:00")));
        // 09:15 on a 15-minute grid: service 09:15-09:45, clean-up to 10:00 exactly.
        var slots = BookableTimes.on(schedule(15, schedule.workingHours(), schedule.timeOff()),
                service(30, 0, 15), MONDAY, LONG_BEFORE);
        assertThat(times(slots)).contains("09:15").doesNotContain("09:30", "09:45");
    }

    @Test
    void timeOffOnAnotherDayChangesNothing() {
        var schedule = schedule(30, List.of(window(DayOfWeek.MONDAY, "09:00", "11:00")),
                List.of(off(BERLIN, MONDAY.minusDays(1), "00:00", "23:00"),
                        off(BERLIN, MONDAY.plusDays(1), "00:00", "23:00")));
        assertThat(times(BookableTimes.on(schedule, service(30, 0, 0), MONDAY, LONG_BEFORE)))
                .containsExactly("09:00", "09:30", "10:00", "10:30");
    }

    @Test
    void timeOffCoveringTheWholeDayLeavesNothing() {
        var schedule = schedule(30, List.of(window(DayOfWeek.MONDAY, "09:00", "17:00")),
                List.of(new TimeOff(1, 3, Instant.parse("2026-06-14T12:00:00Z"),
                        Instant.parse("2026-06-16T12:00:00Z"), "holiday")));
        assertThat(BookableTimes.on(schedule, service(30, 0, 0), MONDAY, LONG_BEFORE)).isEmpty();
    }

    // ---------------------------------------------------------------- notice and window

    final List<WorkingWindow> nineToFive = List.of(window(DayOfWeek.MONDAY, "09:00", "17:00"));

    StaffSchedule withRules(int minNotice, int windowDays) {
        return schedule(BERLIN, 30, new BookingRules(minNotice, windowDays, 120), nineToFive, List.of());
    }

    Instant at(LocalDate date, String time) {
        return ZonedDateTime.of(date, LocalTime.parse(time), BERLIN).toInstant();
    }

    @Test
    void minimumNoticeHidesStartsTooSoon() {
        var slots = BookableTimes.on(withRules(60, 60), service(30, 0, 0), MONDAY, at(MONDAY, "10:05"));
        assertThat(times(slots)).startsWith("11:30").doesNotContain("11:00");
        assertThat(times(slots)).hasSize(11);
    }

    @Test
    void aStartExactlyAtTheNoticeIsBookable() {
        var slots = BookableTimes.on(withRules(60, 60), service(30, 0, 0), MONDAY, at(MONDAY, "10:00"));
        assertThat(times(slots)).startsWith("11:00");
    }

    @Test
    void minimumNoticeReachesIntoTheNextDay() {
        var slots = BookableTimes.on(withRules(24 * 60, 60), service(30, 0, 0), MONDAY,
                at(MONDAY.minusDays(1), "12:00"));
        assertThat(times(slots)).startsWith("12:00").hasSize(10);
    }

    @Test
    void zeroNoticeStillHidesThePast() {
        var slots = BookableTimes.on(withRules(0, 60), service(30, 0, 0), MONDAY, at(MONDAY, "12:10"));
        assertThat(times(slots)).startsWith("12:30");
    }

    @Test
    void aPastDateHasNoSlots() {
        assertThat(BookableTimes.on(withRules(0, 60), service(30, 0, 0), MONDAY, at(MONDAY.plusDays(1), "00:05")))
                .isEmpty();
        assertThat(BookableTimes.on(withRules(0, 60), service(30, 0, 0), MONDAY.minusWeeks(52),
                at(MONDAY, "08:00"))).isEmpty();
    }

    @Test
    void theLastDayOfTheBookingWindowIsOpenAndTheNextIsNot() {
        var schedule = withRules(0, 14);
        Instant now = at(MONDAY, "08:00");
        assertThat(BookableTimes.on(schedule, service(30, 0, 0), MONDAY.plusDays(14), now)).hasSize(16);
        var everyDay = schedule(BERLIN, 30, new BookingRules(0, 14, 120),
                List.of(window(MONDAY.plusDays(15).getDayOfWeek(), "09:00", "17:00")), List.of());
        assertThat(BookableTimes.on(everyDay, service(30, 0, 0), MONDAY.plusDays(15), now)).isEmpty();
        assertThat(BookableTimes.on(schedule, service(30, 0, 0), MONDAY.plusWeeks(52), now)).isEmpty();
    }

    @Test
    void theWindowCountsDaysInTheLocationsZone() {
        // 23:30 UTC on Sunday is already Monday 01:30 in Berlin: "today" is Monday there.
        Instant now = Instant.parse("2026-06-14T23:30:00Z");
        var schedule = withRules(0, 7);
        assertThat(BookableTimes.on(schedule, service(30, 0, 0), MONDAY.plusDays(7), now)).hasSize(16);
        assertThat(BookableTimes.on(schedule, service(30, 0, 0), MONDAY, now)).hasSize(16);
    }
}
