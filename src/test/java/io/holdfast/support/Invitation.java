package io.holdfast.support;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.List;

import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DateProperty;
import net.fortuna.ical4j.validate.ValidationException;

/** A calendar file from a booking mail, read by a real iCalendar parser (ical4j), not by the code that wrote it. */
public record Invitation(String method, List<Event> events, String validationProblems) {

    public record Event(String uid, Instant start, Instant end, String summary, String organizer, String attendee,
            int sequence, String status) {
    }

    public static Invitation parse(String ics) {
        Calendar calendar;
        try {
            calendar = new CalendarBuilder().build(new StringReader(ics));
        } catch (IOException | ParserException e) {
            throw new AssertionError("Not a parseable iCalendar file: " + e.getMessage() + "\n" + ics, e);
        }
        String problems;
        try {
            var result = calendar.validate();
            problems = result.hasErrors() ? result.toString() : "";
        } catch (ValidationException e) {
            problems = e.getMessage();
        }
        String method = calendar.getPropertyList().getProperty(Property.METHOD).map(Property::getValue).orElse(null);
        List<Event> events = calendar.getComponents().stream()
                .filter(VEvent.class::isInstance).map(VEvent.class::cast)
                .map(event -> new Event(value(event, Property.UID), instant(event, Property.DTSTART),
                        instant(event, Property.DTEND), value(event, Property.SUMMARY), value(event, Property.ORGANIZER),
                        value(event, Property.ATTENDEE), Integer.parseInt(value(event, Property.SEQUENCE)),
                        value(event, Property.STATUS)))
                .toList();
        return new Invitation(method, events, problems);
    }

    private static String value(VEvent event, String name) {
        return event.getProperty(name).map(Property::getValue).orElse(null);
    }

    private static Instant instant(VEvent event, String name) {
        DateProperty<?> property = event.<DateProperty<?>>getProperty(name).orElseThrow();
        Temporal date = property.getDate();
        return Instant.from(date);
    }
}
