package io.holdfast;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Instants travel to and from SQL as UTC {@link LocalDateTime}: H2, PostgreSQL and MariaDB drivers all pass
 * a LocalDateTime through unchanged, whereas Timestamp and OffsetDateTime get converted by driver- and
 * session-specific time-zone rules.
 */
public final class UtcColumns {

    private UtcColumns() {
    }

    public static LocalDateTime toColumn(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant fromColumn(LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
