package io.holdfast.notification;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceException;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import io.holdfast.booking.Booking;
import io.holdfast.booking.BookingWritten;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Plans the reminder jobs of bookings, inside each booking's transaction ({@link BookingWritten}): a booking that
 * commits has its jobs, one that rolls back has none. A confirmed booking gets one job per lead
 * ({@code holdfast.reminders.lead}) due at start minus lead; a rescheduled one has its jobs withdrawn and planned
 * again for the new time; a cancelled one has them withdrawn.
 *
 * <p>A lead whose time has already passed when the booking is made is skipped rather than sent at once: the guest
 * is reading the confirmation mail (with the same time, links and calendar file) at that moment, and a "reminder"
 * seconds later is noise. With {@code 24h,2h} a booking made 10 hours ahead gets only the 2-hour reminder.
 */
@Component
class Reminders {

    static final String TASK = "booking-reminder";

    private final SchedulerClient jobs;
    private final ReminderSettings settings;
    private final ManageTokenSeal seal;
    private final JdbcClient jdbc;
    private final Clock clock;

    Reminders(SchedulerClient jobs, ReminderSettings settings, ManageTokenSeal seal, JdbcClient jdbc, Clock clock) {
        this.jobs = jobs;
        this.settings = settings;
        this.seal = seal;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @EventListener
    void written(BookingWritten event) {
        Booking booking = event.booking();
        switch (event.change()) {
            case CONFIRMED -> planNew(booking, seal.seal(event.manageToken()));
            case RESCHEDULED -> plan(booking, withdraw(booking.id()).orElse(""));
            case CANCELLED -> withdraw(booking.id());
        }
    }

    /**
     * A new booking has no jobs yet, so its reminders go in as one batch of inserts; {@link #plan}'s "if not exists"
     * would read before each insert, inside the booking's own transaction.
     */
    private void planNew(Booking booking, String sealedToken) {
        List<SchedulableInstance<?>> due = upcoming(booking).stream()
                .<SchedulableInstance<?>>map(key -> SchedulableInstance.of(new TaskInstance<>(TASK, key.id(), sealedToken),
                        key.due()))
                .toList();
        if (!due.isEmpty()) {
            jobs.scheduleBatch(due);
        }
    }

    private void plan(Booking booking, String sealedToken) {
        for (ReminderKey key : upcoming(booking)) {
            // "if not exists": a job of the same time may still be running (its withdrawal was refused below);
            // it sends for this very time, so nothing is lost.
            jobs.scheduleIfNotExists(new TaskInstance<>(TASK, key.id(), sealedToken), key.due());
        }
    }

    /** The booking's reminders still ahead: one per lead whose time has not passed. */
    private List<ReminderKey> upcoming(Booking booking) {
        Instant now = clock.instant();
        return settings.lead().stream().map(lead -> new ReminderKey(booking.id(), lead, booking.start()))
                .filter(key -> key.due().isAfter(now)).toList();
    }

    /** Cancels the booking's planned reminders; returns the sealed manage token they carried. */
    private Optional<String> withdraw(UUID bookingId) {
        List<String> ids = jdbc.sql("SELECT task_instance FROM scheduled_tasks WHERE task_name = ? AND task_instance LIKE ?")
                .params(TASK, ReminderKey.prefixOf(bookingId) + "%").query(String.class).list();
        Optional<String> sealed = Optional.empty();
        for (String id : ids) {
            TaskInstanceId instance = TaskInstanceId.of(TASK, id);
            if (sealed.isEmpty()) {
                sealed = jobs.getScheduledExecution(instance).map(e -> (String) e.getData());
            }
            try {
                jobs.cancel(instance);
            } catch (TaskInstanceException runningOrGone) {
                // Running right now (it reads the booking when it sends, before this transaction commits: it was
                // due for the time it has) or just finished. Either way there is nothing left to withdraw.
            }
        }
        return sealed;
    }
}
