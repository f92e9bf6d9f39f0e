package io.holdfast.availability;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * A client looking at a slot right now (presence, never a lock). {@code time} is the local "HH:mm", followed by the
 * slot's UTC offset ("02:30+01:00") whenever the start is known: in the autumn daylight-saving overlap a local time
 * names two starts, and only the one the client looks at is selected. Both stores keep {@code time} as it is.
 */
public record Selection(long staffId, LocalDate date, String time, String clientId) {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    /** The selection of a start, named by local time and offset. */
    public static Selection of(long staffId, ZonedDateTime start, String clientId) {
        return new Selection(staffId, start.toLocalDate(), HH_MM.format(start) + start.getOffset().getId()
                .replace("Z", "+00:00"), clientId);
    }

    /** The local "HH:mm" of the slot. */
    public String localTime() {
        return time.substring(0, 5);
    }

    /** The slot's offset; empty for a selection stored by local time alone (before offsets were kept). */
    public Optional<ZoneOffset> offset() {
        return time.length() > 5 ? Optional.of(ZoneOffset.of(time.substring(5))) : Optional.empty();
    }

    /** Whether this selection is of that start: same local time, and same offset when it names one. */
    public boolean isOf(ZonedDateTime start) {
        return date.equals(start.toLocalDate()) && localTime().equals(HH_MM.format(start))
                && offset().map(start.getOffset()::equals).orElse(true);
    }

    /** The instant of the slot (a selection by local time alone takes the earlier offset of an overlap). */
    public Instant start(ZoneId zone) {
        LocalTime local = LocalTime.parse(localTime());
        return offset().map(offset -> date.atTime(local).atOffset(offset).toInstant())
                .orElseGet(() -> ZonedDateTime.of(date, local, zone).toInstant());
    }
}
