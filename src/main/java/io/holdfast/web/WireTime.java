package io.holdfast.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Instants on the wire: ISO-8601 with seconds and a numeric offset, in the location's zone. */
public final class WireTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
    private static final Pattern FOUR_DIGIT_YEAR = Pattern.compile("\\d{4}-");

    private WireTime() {
    }

    public static String format(ZonedDateTime time) {
        return FORMAT.format(time);
    }

    public static String format(Instant instant, ZoneId zone) {
        return FORMAT.format(instant.atZone(zone));
    }

    /** Parses a client's instant; it must carry an offset, since a bare local time is ambiguous around DST. */
    public static Instant parse(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.invalid(field + " is required");
        }
        if (value.length() > 64 || !FOUR_DIGIT_YEAR.matcher(value).lookingAt()) {
            // API.md's instants have four-digit years; expanded years (+999999999-...) only overflow date maths.
            throw ApiProblem.invalid(BadInputDetails.mismatch(field, value, Instant.class));
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(BadInputDetails.mismatch(field, value, Instant.class));
        }
    }
}
