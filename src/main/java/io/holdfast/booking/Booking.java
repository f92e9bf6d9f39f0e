package io.holdfast.booking;

import java.time.Instant;
import java.util.UUID;

/** A confirmed (or cancelled) appointment. The manage token is only ever stored as a hash. */
public record Booking(UUID id, long staffId, long serviceId, Instant start, Instant end, Status status,
        Customer customer, String notes, long priceCents, Instant createdAt, Instant cancelledAt) {

    public enum Status {
        CONFIRMED, CANCELLED
    }

    public record Customer(String name, String email, String phone) {
    }
}
