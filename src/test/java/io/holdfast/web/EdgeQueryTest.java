package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The edge's date reading takes exactly what the API's formatter takes, as the same date. */
class EdgeQueryTest {

    @Test
    void aPlainDateIsWhatTheApisFormatterReads() {
        List<String> texts = new ArrayList<>();
        for (LocalDate day = LocalDate.of(2023, 12, 25); day.isBefore(LocalDate.of(2029, 1, 5)); day = day.plusDays(1)) {
            texts.add(ApiDates.FORMAT.format(day));
        }
        texts.addAll(List.of("2026-02-29", "2028-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10",
                "2026-01-00", "2026-01-32", "0000-01-01", "9999-12-31", "2026-1-011", "2026/01/01", "20260-1-01",
                "+026-01-01", "-026-01-01", "2026-0a-01", "2026-01-0 ", " 2026-01-1", "2026--1-01", "2026-01-1x",
                "2026\u0660-1-01", "2026-01-01"));
        for (String text : texts) {
            assertThat(EdgeQuery.plainDate(text)).as(text).isEqualTo(formatter(text));
        }
        assertThat(texts.stream().filter(text -> formatter(text) == null).count()).as("refused ones tried")
                .isGreaterThan(15);
    }

    private static LocalDate formatter(String text) {
        try {
            return LocalDate.parse(text, ApiDates.FORMAT);
        } catch (DateTimeParseException refused) {
            return null;
        }
    }
}
