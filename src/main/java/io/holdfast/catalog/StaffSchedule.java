package io.holdfast.catalog;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/** Everything needed to compute a staff member's bookable times: where, when they work, when they are off. */
public record StaffSchedule(StaffMember staff, Location location, List<WorkingWindow> workingHours,
        List<TimeOff> timeOff) {

    /**
     * Whether an appointment fits: its service time {@code start}-{@code end} inside one working window of its local
     * day, and its occupied time (with buffers) clear of time off. The same rules as the bookable times offered.
     */
    public boolean allows(Instant start, Instant end, Instant occupiedFrom, Instant occupiedTo) {
        return withinHours(workingHours, location.timeZone(), start, end)
                && timeOff.stream().noneMatch(off -> off.start().isBefore(occupiedTo) && occupiedFrom.isBefore(off.end()));
    }

    /**
     * Whether {@code start}-{@code end} lies inside one of the windows on the local day of {@code start}. A window's
     * edges that fall into a daylight-saving overlap are read generously (earlier start, later end), as the bookable
     * times are.
     */
    static boolean withinHours(List<WorkingWindow> hours, ZoneId zone, Instant start, Instant end) {
        LocalDate date = start.atZone(zone).toLocalDate();
        for (WorkingWindow window : hours) {
            if (window.dayOfWeek() != date.getDayOfWeek()) {
                continue;
            }
            if (!start.isBefore(window.startOn(date, zone)) && !end.isAfter(window.endOn(date, zone))) {
                return true;
            }
        }
        return false;
    }
}
