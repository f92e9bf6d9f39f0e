package io.holdfast.catalog;

import java.time.LocalDate;
import java.util.List;

/**
 * Published when a staff member's schedule changed (working hours, time off, their location's rules or time zone):
 * every day of theirs may offer other times now, and viewers of {@code days} should refetch at once. Listeners
 * that run after the commit see the change.
 */
public record ScheduleChanged(long staffId, List<LocalDate> days) {
}
