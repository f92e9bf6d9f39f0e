package io.holdfast.cache;

import java.time.LocalDate;

/**
 * The key of a per-staff, per-day cache entry. Its Redis key and its invalidation tags carry the hash tag
 * {@code {s:<staffId>}}, so they share one Redis Cluster slot (and the slot of the staff member's holds).
 */
public record StaffDayKey(long staffId, LocalDate date) {
}
