package io.holdfast.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * What one reminder job is for, and its job instance id: {@code <booking id>/<lead>/<start epoch second>}. The start
 * is part of the id so that a reminder planned for a booking's old time can tell it is stale when the booking has
 * moved, even if its withdrawal lost a race with its own execution.
 */
record ReminderKey(UUID bookingId, Duration lead, Instant start) {

    String id() {
        return bookingId + "/" + lead + "/" + start.getEpochSecond();
    }

    Instant due() {
        return start.minus(lead);
    }

    static ReminderKey parse(String id) {
        String[] parts = id.split("/");
        return new ReminderKey(UUID.fromString(parts[0]), Duration.parse(parts[1]),
                Instant.ofEpochSecond(Long.parseLong(parts[2])));
    }

    /** The id prefix of every reminder of a booking, for a LIKE query. */
    static String prefixOf(UUID bookingId) {
        return bookingId + "/";
    }
}
