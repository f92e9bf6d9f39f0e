package io.holdfast.booking;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * An iCalendar file (RFC 5545) for booking mails, with the iTIP method of RFC 5546: {@code REQUEST} adds or
 * updates the appointment in the guest's calendar, {@code CANCEL} removes it. Times are written in UTC ({@code Z}),
 * which every calendar shows in its user's own zone, so no VTIMEZONE has to be carried along; the event's UID is
 * the booking's, so a moved or cancelled booking updates the same calendar entry.
 *
 * <p>Hand-written because one fixed VEVENT is a dozen lines of text; the tests parse what it writes with ical4j.
 */
final class CalendarInvite {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    /** RFC 5545 3.1: lines longer than 75 octets are folded. */
    private static final int MAX_LINE_OCTETS = 75;

    enum Method {
        REQUEST, CANCEL
    }

    /**
     * One appointment of the file.
     *
     * @param sequence grows with every change of the booking (RFC 5546: later versions replace earlier ones)
     */
    record Event(String uid, int sequence, Instant start, Instant end, String summary, String location,
            String description, String attendeeName, String attendeeEmail) {
    }

    private CalendarInvite() {
    }

    static String of(Method method, String organizerEmail, Instant stamp, List<Event> events) {
        StringBuilder ics = new StringBuilder();
        line(ics, "BEGIN:VCALENDAR");
        line(ics, "VERSION:2.0");
        line(ics, "PRODID:-//Holdfast//Bookings//EN");
        line(ics, "CALSCALE:GREGORIAN");
        line(ics, "METHOD:" + method.name());
        for (Event event : events) {
            event(ics, event, stamp, method == Method.CANCEL ? "CANCELLED" : "CONFIRMED",
                    "ORGANIZER;CN=Holdfast:mailto:" + organizerEmail,
                    "ATTENDEE;CN=" + parameter(event.attendeeName())
                            + ";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:" + event.attendeeEmail());
        }
        line(ics, "END:VCALENDAR");
        return ics.toString();
    }

    /**
     * A subscribed calendar (a staff member's feed): no iTIP method, since nobody is invited; the calendar programs
     * that poll it replace their copy with each answer, matching events by UID and SEQUENCE. {@code X-WR-CALNAME} and
     * {@code X-WR-TIMEZONE} are what Google Calendar and Apple Calendar name and show it by; {@code REFRESH-INTERVAL}
     * (RFC 7986) and its older twin {@code X-PUBLISHED-TTL} (Outlook, Apple) say how often to fetch it again.
     */
    static String feed(String name, String timeZone, Duration refresh, Instant stamp, List<Event> events) {
        StringBuilder ics = new StringBuilder();
        line(ics, "BEGIN:VCALENDAR");
        line(ics, "VERSION:2.0");
        line(ics, "PRODID:-//Holdfast//Staff calendar//EN");
        line(ics, "CALSCALE:GREGORIAN");
        line(ics, "NAME:" + text(name));
        line(ics, "X-WR-CALNAME:" + text(name));
        line(ics, "X-WR-TIMEZONE:" + text(timeZone));
        String interval = duration(refresh);
        line(ics, "REFRESH-INTERVAL;VALUE=DURATION:" + interval);
        line(ics, "X-PUBLISHED-TTL:" + interval);
        for (Event event : events) {
            event(ics, event, stamp, "CONFIRMED");
        }
        line(ics, "END:VCALENDAR");
        return ics.toString();
    }

    /** One VEVENT; {@code parties} (ORGANIZER, ATTENDEE lines) stand between its DESCRIPTION and STATUS. */
    private static void event(StringBuilder ics, Event event, Instant stamp, String status, String... parties) {
        line(ics, "BEGIN:VEVENT");
        line(ics, "UID:" + text(event.uid()));
        line(ics, "SEQUENCE:" + event.sequence());
        line(ics, "DTSTAMP:" + UTC.format(stamp));
        line(ics, "DTSTART:" + UTC.format(event.start()));
        line(ics, "DTEND:" + UTC.format(event.end()));
        line(ics, "SUMMARY:" + text(event.summary()));
        line(ics, "LOCATION:" + text(event.location()));
        line(ics, "DESCRIPTION:" + text(event.description()));
        for (String party : parties) {
            line(ics, party);
        }
        line(ics, "STATUS:" + status);
        line(ics, "TRANSP:OPAQUE");
        line(ics, "END:VEVENT");
    }

    /** An RFC 5545 dur-value in whole seconds, at least a minute: {@code PT15M}, {@code PT24H}. */
    private static String duration(Duration value) {
        Duration whole = Duration.ofSeconds(Math.max(60, value.getSeconds()));
        return whole.toString();
    }

    /** TEXT values (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks are escaped. */
    static String text(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case ';' -> out.append("\\;");
                case ',' -> out.append("\\,");
                case '\n' -> out.append("\\n");
                case '\r' -> {
                    // dropped: "\r\n" becomes one escaped line break
                }
                default -> out.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return out.toString();
    }

    /** A parameter value (RFC 5545 3.2): quoted, and a double quote or control character cannot appear in it. */
    static String parameter(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : (value == null ? "" : value).toCharArray()) {
            out.append(c == '"' || Character.isISOControl(c) ? ' ' : c);
        }
        return out.append('"').toString();
    }

    /** Appends a content line, folded at 75 octets without splitting a UTF-8 character, ended by CRLF. */
    private static void line(StringBuilder ics, String content) {
        int octets = 0;
        for (int i = 0; i < content.length(); ) {
            int codePoint = content.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + size > MAX_LINE_OCTETS) {
                ics.append("\r\n ");
                octets = 1; // the folding space counts on the continuation line
            }
            ics.appendCodePoint(codePoint);
            octets += size;
            i += Character.charCount(codePoint);
        }
        ics.append("\r\n");
    }
}
