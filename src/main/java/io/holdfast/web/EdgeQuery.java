package io.holdfast.web;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Query parameters as an {@link EdgeAnswer} reads them: only the plainly valid spelling of a value is taken (digits
 * for a number, {@code YYYY-MM-DD} for a date, {@link ClientIds#PATTERN} for a client id, one value per name); for
 * anything else these say {@link #UNCLEAR} (or null for a date), and the request is left to Spring MVC, whose
 * conversion and validation give the 400 problem+json API.md describes. What is taken here MVC takes as the same
 * value: it never refuses what these accept.
 */
public final class EdgeQuery {

    /** Not a plainly valid value, or more than one: Spring MVC is to judge it. */
    public static final long UNCLEAR = Long.MIN_VALUE;
    /** Absent (an optional parameter): distinct from {@link #UNCLEAR}. */
    public static final long ABSENT = Long.MIN_VALUE + 1;

    /** The controllers' {@code @Pattern}, compiled once: the edge takes exactly the ids MVC takes. */
    private static final Pattern CLIENT_ID = Pattern.compile(ClientIds.PATTERN);

    private EdgeQuery() {
    }

    /** The one value of the parameter, null when absent; {@link #REPEATED} when given more than once. */
    public static String single(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        if (values == null) {
            return null;
        }
        return values.length == 1 ? values[0] : REPEATED;
    }

    /** A marker {@link #single} returns for a repeated parameter (compared by identity). */
    public static final String REPEATED = new String("repeated");

    /** A whole number of 1 to 18 digits ({@code @PositiveOrZero Long}); {@link #ABSENT} or {@link #UNCLEAR}. */
    public static long digits(HttpServletRequest request, String name) {
        String text = single(request, name);
        if (text == null) {
            return ABSENT;
        }
        if (text == REPEATED || text.isEmpty() || text.length() > 18) {
            return UNCLEAR;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return UNCLEAR;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** A required {@code @Positive Long}: the value, or {@link #UNCLEAR} (absent, zero, not digits). */
    public static long positive(HttpServletRequest request, String name) {
        long value = digits(request, name);
        return value > 0 ? value : UNCLEAR;
    }

    /** A required date {@code YYYY-MM-DD} as {@link ApiDates} reads it; null when absent or anything else. */
    public static LocalDate date(HttpServletRequest request, String name) {
        String text = single(request, name);
        if (text == null || text == REPEATED || text.length() != 10) {
            return null;
        }
        return plainDate(text);
    }

    /**
     * {@code YYYY-MM-DD} as {@link ApiDates#FORMAT} reads it (four-digit year, two-digit month and day, a real date),
     * without the formatter: its parse was a tenth of an unchanged poll's CPU (issue #13); null for anything else.
     */
    static LocalDate plainDate(String text) {
        if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 7);
        int day = number(text, 8, 10);
        if (year < 0 || month < 0 || day < 0) {
            return null;
        }
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException notADate) {
            return null; // MVC's formatter refuses it with the 400 that names the parameter
        }
    }

    /** The digits from {@code from} to {@code to} as a number; -1 when any is not a digit. */
    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * An optional client id: "" when absent (as the controllers take it), the id when it matches
     * {@link ClientIds#PATTERN}, null for anything else (MVC's {@code @Pattern} refuses it).
     */
    public static String clientId(HttpServletRequest request, String name) {
        String text = single(request, name);
        if (text == null) {
            return "";
        }
        return text != REPEATED && CLIENT_ID.matcher(text).matches() ? text : null;
    }
}
