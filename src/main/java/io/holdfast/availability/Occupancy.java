package io.holdfast.availability;

import io.holdfast.catalog.Granules;
import java.time.Instant;

import io.holdfast.catalog.ServiceOffering;

/**
 * The time a staff member is busy for one appointment: the service itself plus its buffers. Bookings and holds
 * both claim their occupancy, so one appointment's clean-up never collides with the next one's preparation.
 */
public record Occupancy(Instant from, Instant to) {

    public static Occupancy of(ServiceOffering service, Instant start) {
        return new Occupancy(start.minus(service.bufferBefore()),
                start.plus(service.duration()).plus(service.bufferAfter()));
    }

    public long[] granules() {
        return Granules.covering(from, to).toArray();
    }

    public boolean overlaps(Instant otherFrom, Instant otherTo) {
        return from.isBefore(otherTo) && otherFrom.isBefore(to);
    }
}
