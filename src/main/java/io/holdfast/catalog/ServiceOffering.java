package io.holdfast.catalog;

import java.time.Duration;

/** A bookable service. Buffers are the staff member's preparation and clean-up time around it. */
public record ServiceOffering(long id, String name, int durationMinutes, int bufferBeforeMinutes,
        int bufferAfterMinutes, long priceCents) {

    public Duration duration() {
        return Duration.ofMinutes(durationMinutes);
    }

    public Duration bufferBefore() {
        return Duration.ofMinutes(bufferBeforeMinutes);
    }

    public Duration bufferAfter() {
        return Duration.ofMinutes(bufferAfterMinutes);
    }
}
