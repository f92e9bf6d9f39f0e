package io.holdfast.web;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.constraints.Pattern;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * The details of 400s that Spring MVC or Jackson raise before a controller runs, built once from the parameter or
 * field name and the Java type it binds to: {@code staffId: expected a whole number, got 'abc'},
 * {@code items[0].start: expected an ISO-8601 instant with offset, like 2026-11-23T09:00:00+01:00, got 'x'}. So
 * no controller has to say what its parameter types mean on the wire.
 */
final class BadInputDetails {

    /** API.md's instant format, said the same way wherever an instant is refused (see {@link WireTime}). */
    static final String INSTANT = "an ISO-8601 instant with offset, like 2026-11-23T09:00:00+01:00";

    /** Values longer than this are cut in the echo: the client sent them, it needs only enough to find them. */
    private static final int ECHO_LIMIT = 60;

    private static final Set<Class<?>> WHOLE_NUMBERS = Set.of(Long.class, long.class, Integer.class, int.class,
            Short.class, short.class, BigInteger.class);

    private BadInputDetails() {
    }

    /** {@code date: expected YYYY-MM-DD, got '08.12.2026'}. */
    static String mismatch(String name, Object value, Class<?> type) {
        return name + ": expected " + expected(type) + ", got " + echo(value);
    }

    /** What a value of this type looks like on the wire. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "another value";
        }
        if (WHOLE_NUMBERS.contains(type)) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == LocalDate.class) {
            return "YYYY-MM-DD";
        }
        if (type == LocalTime.class) {
            return "HH:mm";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type == Instant.class || type == OffsetDateTime.class || type == ZonedDateTime.class) {
            return INSTANT;
        }
        if (ZoneId.class.isAssignableFrom(type)) {
            return "an IANA time zone like Europe/Berlin";
        }
        if (type == DayOfWeek.class) {
            return "one of MONDAY…SUNDAY";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a JSON array";
        }
        return "a JSON object";
    }

    /** Why a JSON body could not be read, naming the field by its path ({@code customer.email}, {@code items[1].start}). */
    static String unreadable(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof MismatchedInputException mismatch) {
            return mismatched(mismatch);
        }
        if (cause instanceof StreamReadException malformed) {
            return "The request body is not valid JSON" + where(malformed.getLocation());
        }
        if (cause instanceof JacksonException other && !other.getPath().isEmpty()) {
            return path(other) + ": is not a valid value";
        }
        if (cause == null) {
            // Spring's own message for an empty body, or a body that is only JSON null.
            return "A JSON request body is required";
        }
        return "The request body is not valid JSON of the expected shape";
    }

    private static String mismatched(MismatchedInputException ex) {
        String original = String.valueOf(ex.getOriginalMessage());
        if (original.startsWith("Trailing token")) {
            // FAIL_ON_TRAILING_TOKENS: a second JSON value after the body.
            return "The request body must be one JSON value with nothing after it" + where(ex.getLocation());
        }
        String field = ex.getPath().isEmpty() ? "body" : path(ex);
        Class<?> type = ex.getTargetType();
        String expected = propertyExpectation(ex).orElseGet(() -> expected(type));
        String got = ex instanceof InvalidFormatException invalid ? echo(invalid.getValue()) : token(ex.getCurrentToken());
        return field + ": expected " + expected + (got.isEmpty() ? "" : ", got " + got);
    }

    /**
     * A record component can state its own expectation in its {@code @Pattern} message ("expected a string of 6
     * digits"): then a value of the wrong JSON type is refused in the same words as a string of the wrong form.
     */
    private static java.util.Optional<String> propertyExpectation(MismatchedInputException ex) {
        List<JacksonException.Reference> path = ex.getPath();
        if (path.isEmpty()) {
            return java.util.Optional.empty();
        }
        JacksonException.Reference last = path.get(path.size() - 1);
        Object from = last.from();
        Class<?> owner = from instanceof Class<?> c ? c : from == null ? null : from.getClass();
        if (owner == null || !owner.isRecord() || last.getPropertyName() == null) {
            return java.util.Optional.empty();
        }
        for (RecordComponent component : owner.getRecordComponents()) {
            if (component.getName().equals(last.getPropertyName())) {
                // A component's constraint lands on its field (Pattern does not target record components).
                Pattern pattern = component.getAccessor().getAnnotation(Pattern.class);
                if (pattern != null && pattern.message().startsWith("expected ")) {
                    return java.util.Optional.of(pattern.message().substring("expected ".length()));
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static String path(JacksonException ex) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference reference : ex.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }

    /** The JSON kind of value that was found where another was expected. */
    private static String token(JsonToken token) {
        if (token == null) {
            return "";
        }
        return switch (token) {
            case START_OBJECT, END_OBJECT, PROPERTY_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "a whole number";
            case VALUE_NUMBER_FLOAT -> "a fractional number";
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> "";
        };
    }

    private static String where(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** The value as the client sent it, quoted when it is text, cut when it is long. */
    static String echo(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof Object[] values && values.length == 1) {
            value = values[0];
        }
        String text = String.valueOf(value);
        if (text.length() > ECHO_LIMIT) {
            text = text.substring(0, ECHO_LIMIT) + "… (" + text.length() + " characters)";
        }
        return value instanceof Number || value instanceof Boolean ? text : "'" + text + "'";
    }
}
