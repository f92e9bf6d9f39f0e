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
import java.util.Optional;

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
        if (closedDay(schedule, date, now).isPresent()) {
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

    /**
     * Until when {@link #on} and {@link #closedDay} answer for the date as they did at {@code now}, given what
     * {@code on} answered then ({@code candidates}, in order): the passing time only takes starts away, the earliest
     * first as the minimum notice reaches it, until the location's next midnight moves "today", which opens a day at
     * the end of the booking window and closes the day just past.
     */
    static Instant sameUntil(StaffSchedule schedule, Instant now, List<Candidate> candidates) {
        ZoneId zone = schedule.location().timeZone();
        Instant midnight = now.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
        if (candidates.isEmpty()) {
            return midnight;
        }
        Instant earliestLapses = candidates.get(0).instant()
                .minusSeconds(schedule.location().rules().minNoticeMinutes() * 60L);
        return earliestLapses.isBefore(midnight) ? earliestLapses : midnight;
    }

    /**
     * The rules about when, as opposed to where in the schedule: a start in the past, beyond the booking window or
     * inside the minimum notice, as of {@code now}. A hold passed them when it was made; a booking checks them again
     * when it is confirmed, since time has passed and the rules may have changed meanwhile.
     */
    static Optional<Unbookable> untimely(StaffSchedule schedule, Instant start, Instant now) {
        if (start.isBefore(now)) {
            return Optional.of(Unbookable.IN_THE_PAST);
        }
        Optional<Unbookable> closed = closedDay(schedule, start.atZone(schedule.location().timeZone()).toLocalDate(), now);
        if (closed.isPresent()) {
            return closed;
        }
        if (start.isBefore(now.plusSeconds(schedule.location().rules().minNoticeMinutes() * 60L))) {
            return Optional.of(Unbookable.INSIDE_MINIMUM_NOTICE);
        }
        return Optional.empty();
    }

    /** Why no time of this whole day can be booked: it is past, or beyond the booking window. */
    static Optional<Unbookable> closedDay(StaffSchedule schedule, LocalDate date, Instant now) {
        LocalDate today = now.atZone(schedule.location().timeZone()).toLocalDate();
        if (date.isBefore(today)) {
            return Optional.of(Unbookable.IN_THE_PAST);
        }
        if (date.isAfter(today.plusDays(schedule.location().rules().bookingWindowDays()))) {
            return Optional.of(Unbookable.BEYOND_BOOKING_WINDOW);
        }
        return Optional.empty();
    }

    /**
     * Which rule keeps a start that {@link #on} does not list off the list, checked in the order a client can best
     * act on: time first (past, window, notice), then the staff member's hours, grid and time off.
     */
    static Unbookable refusal(StaffSchedule schedule, ServiceOffering service, Instant start, Instant now) {
        ZoneId zone = schedule.location().timeZone();
        LocalDate date = start.atZone(zone).toLocalDate();
        Optional<Unbookable> untimely = untimely(schedule, start, now);
        if (untimely.isPresent()) {
            return untimely.get();
        }
        LocalTime local = start.atZone(zone).toLocalTime();
        int step = schedule.location().slotIntervalMinutes();
        boolean inHours = false;
        for (WorkingWindow window : schedule.workingHours()) {
            if (window.dayOfWeek() != date.getDayOfWeek()) {
                continue;
            }
            Instant windowStart = window.startOn(date, zone);
            Instant windowEnd = window.endOn(date, zone);
            if (!start.isBefore(windowStart) && !start.plus(service.duration()).isAfter(windowEnd)) {
                inHours = true;
                long minutes = java.time.Duration.between(window.start(), local).toMinutes();
                if (minutes % step != 0 || local.getSecond() != 0 || local.getNano() != 0) {
                    return Unbookable.OFF_SLOT_GRID;
                }
            }
        }
        if (!inHours) {
            return Unbookable.OUTSIDE_WORKING_HOURS;
        }
        if (onTimeOff(schedule, Occupancy.of(service, start))) {
            return Unbookable.TIME_OFF;
        }
        // Every rule passes, yet the start is not listed: it is not a start the wall-clock grid produces.
        return Unbookable.OFF_SLOT_GRID;
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
