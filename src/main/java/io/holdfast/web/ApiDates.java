package io.holdfast.web;

import java.time.LocalDate;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

import org.springframework.context.annotation.Configuration;
import org.springframework.format.Formatter;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Dates on the wire are API.md's {@code YYYY-MM-DD}: a four-digit year, a real calendar day. ISO-8601's expanded
 * years ({@code +999999999-12-31}) are refused as bad input, because the day before or after such a date does
 * not exist and every database stores four-digit years only.
 *
 * <p>Query parameters and path variables convert through the formatter registered here, once, in Spring MVC's
 * conversion service; registered after Spring's own, it comes first, also before {@code @DateTimeFormat}'s. (It was
 * an {@code @InitBinder} editor, which Spring MVC called for every parameter of every request: about 5 % of an
 * availability request's samples, issue #13.) JSON bodies use the same format through {@link StrictJson}.
 */
@Configuration(proxyBeanMethods = false)
class ApiDates implements WebMvcConfigurer {

    static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.YEAR, 4)
            .appendLiteral('-')
            .appendValue(ChronoField.MONTH_OF_YEAR, 2)
            .appendLiteral('-')
            .appendValue(ChronoField.DAY_OF_MONTH, 2)
            .toFormatter()
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addFormatterForFieldType(LocalDate.class, new Formatter<LocalDate>() {
            /** Blank text never gets here: Spring takes it as absent, so a required parameter reports missing. */
            @Override
            public LocalDate parse(String text, Locale locale) {
                try {
                    return LocalDate.parse(text.trim(), FORMAT);
                } catch (DateTimeParseException e) {
                    // Spring turns a parser's IllegalArgumentException into a type mismatch (400).
                    throw new IllegalArgumentException("not a date YYYY-MM-DD", e);
                }
            }

            @Override
            public String print(LocalDate date, Locale locale) {
                return FORMAT.format(date);
            }
        });
    }
}
