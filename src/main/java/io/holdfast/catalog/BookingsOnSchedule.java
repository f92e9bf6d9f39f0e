package io.holdfast.catalog;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The confirmed bookings a catalogue change must not strand. The booking module implements it (it depends on the
 * catalogue, never the other way round); the catalogue calls it inside its own transaction, after locking the rows
 * of the staff members concerned, which a confirmation locks too.
 */
public interface BookingsOnSchedule {

    /** Confirmed bookings of these staff members that start at or after {@code from}, by start. */
    List<ScheduledBooking> upcomingOfStaff(Collection<Long> staffIds, Instant from);

    /** Confirmed bookings of this service that start at or after {@code from}, by start. */
    List<ScheduledBooking> upcomingOfService(long serviceId, Instant from);

    /**
     * Cancels these bookings in the caller's transaction. Returns what the caller runs once that transaction
     * committed (outside it): each customer is mailed and viewers of the days are told, as for any cancellation.
     * If it rolls back instead, nothing was cancelled and nobody hears of it.
     */
    Runnable cancelWithChange(List<ScheduledBooking> bookings);
}
