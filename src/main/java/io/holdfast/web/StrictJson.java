package io.holdfast.web;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Request bodies are read as written: a fractional number is not silently cut to an integer
 * ({@code "durationMinutes": 30.5} is refused, not stored as 30), a number or boolean is not a string
 * ({@code "clientId": 12345678}), and a date is only the string {@code "YYYY-MM-DD"} (no epoch-day numbers,
 * no {@code [y, m, d]} arrays, no expanded years; see {@link ApiDates}).
 */
@Configuration(proxyBeanMethods = false)
class StrictJson {

    @Bean
    JsonMapperBuilderCustomizer strictRequestBodies() {
        return builder -> builder
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .addModule(new SimpleModule("holdfast-dates").addDeserializer(LocalDate.class, new DateOnly()));
    }

    /** {@code "2026-11-23"} and nothing else. */
    static final class DateOnly extends StdScalarDeserializer<LocalDate> {

        DateOnly() {
            super(LocalDate.class);
        }

        @Override
        public LocalDate deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (LocalDate) context.handleUnexpectedToken(LocalDate.class, parser);
            }
            String text = parser.getString().trim();
            try {
                return LocalDate.parse(text, ApiDates.FORMAT);
            } catch (DateTimeParseException e) {
                return (LocalDate) context.handleWeirdStringValue(LocalDate.class, text, "not a date YYYY-MM-DD");
            }
        }
    }
}
