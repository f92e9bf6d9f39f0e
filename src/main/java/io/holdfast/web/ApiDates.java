package io.holdfast.web;

import java.beans.PropertyEditorSupport;
import java.time.LocalDate;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Dates on the wire are API.md's {@code YYYY-MM-DD}: a four-digit year, a real calendar day. ISO-8601's expanded
 * years ({@code +999999999-12-31}) are refused as bad input, because the day before or after such a date does
 * not exist and every database stores four-digit years only.
 *
 * <p>Query parameters and path variables bind through the editor registered here (it takes precedence over
 * {@code @DateTimeFormat}); JSON bodies use the same format through {@link StrictJson}.
 */
@ControllerAdvice
class ApiDates {

    static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.YEAR, 4)
            .appendLiteral('-')
            .appendValue(ChronoField.MONTH_OF_YEAR, 2)
            .appendLiteral('-')
            .appendValue(ChronoField.DAY_OF_MONTH, 2)
            .toFormatter()
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);

    @InitBinder
    void strictDates(WebDataBinder binder) {
        binder.registerCustomEditor(LocalDate.class, new PropertyEditorSupport() {
            @Override
            public void setAsText(String text) {
                // Blank means absent, as with Spring's own conversion: a required parameter then reports missing.
                if (text == null || text.isBlank()) {
                    setValue(null);
                    return;
                }
                try {
                    setValue(LocalDate.parse(text.trim(), FORMAT));
                } catch (DateTimeParseException e) {
                    // Spring turns an editor's IllegalArgumentException into a type mismatch (400).
                    throw new IllegalArgumentException("not a date YYYY-MM-DD", e);
                }
            }

            @Override
            public String getAsText() {
                return getValue() == null ? "" : FORMAT.format((LocalDate) getValue());
            }
        });
    }
}
