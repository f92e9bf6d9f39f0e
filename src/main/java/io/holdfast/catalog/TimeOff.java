package io.holdfast.catalog;

import java.time.Instant;

public record TimeOff(long id, long staffId, Instant start, Instant end, String reason) {
}
