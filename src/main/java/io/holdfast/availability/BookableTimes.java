package io.holdfast.availability;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.holdfast.catalog.BookingRules;
import io.holdfast.catalog.ServiceOffering;
import io.holdfast.catalog.StaffSchedule;
import io.holdfast.catalog.TimeOff;
import io.holdfast.catalog.WorkingWindow;

/**
 * The pure schedule arithmetic: which start times of one local date a staff member can take a service at.
 *
 * <p>Start times step along the wall clock from each working window's start by the location's slot interval,
 * because that is what people read on the page. A wall time that does not exist (the spring-forward gap) is
 * skipped; one that exists twice (the autumn overlap) yields both instants. The service itself must end by the
 * window's end, measured in real time, so a window that spans a transition is as long as it really is.
 */
final class BookableTimes {

    private BookableTimes() {
    }

    static List<Candidate> on(StaffSchedule schedule, ServiceOffering service, LocalDate date, Instant now) {
        ZoneId zone = schedule.location().timeZone();
        BookingRules rules = schedule.location().rules();
        LocalDate today = now.atZone(zone).toLocalDate();
        if (date.isBefore(today) || date.isAfter(today.plusDays(rules.bookingWindowDays()))) {
            return List.of();
        }
        Instant earliest = now.plusSeconds(rules.minNoticeMinutes() * 60L);
        int step = schedule.location().slotIntervalMinutes();
        List<Candidate> candidates = new ArrayList<>();
        for (WorkingWindow window : schedule.workingHours()) {
            if (window.dayOfWeek() != date.getDayOfWeek()) {
                continue;
            }
            Instant windowStart = window.startOn(date, zone);
            Instant windowEnd = window.endOn(date, zone);
            for (LocalTime time = window.start(); time.isBefore(window.end()); time = time.plusMinutes(step)) {
                for (ZoneOffset offset : zone.getRules().getValidOffsets(LocalDateTime.of(date, time))) {
                    ZonedDateTime start = ZonedDateTime.ofStrict(LocalDateTime.of(date, time), offset, zone);
                    Instant instant = start.toInstant();
                    if (!instant.isBefore(windowStart) && !instant.plus(service.duration()).isAfter(windowEnd)
                            && !instant.isBefore(earliest) && !onTimeOff(schedule, Occupancy.of(service, instant))) {
                        candidates.add(new Candidate(time, start));
                    }
                }
                if (time.plusMinutes(step).isBefore(time)) {
                    break; // wrapped past midnight
                }
            }
        }
        candidates.sort(Comparator.comparing(Candidate::instant));
        return candidates;
    }

    private static boolean onTimeOff(StaffSchedule schedule, Occupancy occupancy) {
        for (TimeOff off : schedule.timeOff()) {
            if (occupancy.overlaps(off.start(), off.end())) {
                return true;
            }
        }
        return false;
    }
}
