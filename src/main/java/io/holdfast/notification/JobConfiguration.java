package io.holdfast.notification;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * db-scheduler on the application's own database (table {@code scheduled_tasks}, Flyway V8). Its connections come
 * through a {@link TransactionAwareDataSourceProxy}, so a job scheduled inside a Spring transaction (a booking's)
 * is part of that transaction: it exists exactly when the booking committed. Jobs run on whichever instance picks
 * them first (an optimistic update of the row's version, so never on two at once); a job whose instance died is
 * taken over by another once its heartbeats stop.
 */
@Configuration(proxyBeanMethods = false)
class JobConfiguration {

    /**
     * The scheduler the application schedules, moves and withdraws jobs through. It is never started itself:
     * {@link #jobSchedulerLifecycle} runs a fresh one for polling each time the context starts, because a stopped
     * db-scheduler cannot be started again (its executors are shut down), and a context may be stopped and
     * started again (Spring pauses cached test contexts, for one).
     */
    @Bean(destroyMethod = "")
    Scheduler jobScheduler(DataSource dataSource, List<Task<?>> tasks, JobSettings settings, Clock clock) {
        return build(dataSource, tasks, settings, clock);
    }

    private static Scheduler build(DataSource dataSource, List<Task<?>> tasks, JobSettings settings, Clock clock) {
        // Recurring tasks (the delivery clean-up) go in as start tasks, which db-scheduler also registers as known
        // ones; each is planned once, by whichever instance starts first.
        List<Task<?>> oneTime = tasks.stream().filter(task -> !(task instanceof RecurringTask)).toList();
        List<RecurringTask<?>> recurring = tasks.stream().filter(RecurringTask.class::isInstance)
                .<RecurringTask<?>>map(task -> (RecurringTask<?>) task).toList();
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), oneTime)
                // Instances in one JVM (tests) or on one host must not share a name: the name marks picked jobs.
                .schedulerName(new SchedulerName.Fixed(new SchedulerName.Hostname().getName() + "-"
                        + UUID.randomUUID().toString().substring(0, 8)))
                .clock(clock::instant)
                .pollingInterval(settings.pollInterval())
                .heartbeatInterval(settings.heartbeat())
                .missedHeartbeatsLimit(settings.missedHeartbeats())
                .threads(settings.threads())
                .shutdownMaxWait(settings.shutdownWait())
                .alwaysPersistTimestampInUTC()
                .startTasks(recurring)
                .build();
    }

    /** The reminder mail of one booking and lead (see {@link Reminders}); its data is the sealed manage token. */
    @Bean
    OneTimeTask<String> bookingReminder(ReminderMail mail, ReminderSettings settings) {
        return Tasks.oneTime(Reminders.TASK, String.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(settings.retryDelay()))
                .execute((instance, context) -> mail.send(instance.getId(), instance.getData()));
    }

    /** The webhook delivery job of one outbox row (see {@link WebhookDelivery}); its instance id is the message id. */
    @Bean
    CustomTask<Void> webhookDeliveryTask(WebhookDelivery delivery) {
        return Tasks.custom(WebhookDelivery.TASK, Void.class)
                // Attempts decide their own next time; this is for an unexpected error (the database went away).
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(30)))
                .execute((instance, context) -> delivery.attempt(instance.getId()));
    }

    /** Forgets delivered and given-up webhook deliveries after holdfast.webhooks.keep-deliveries, hourly. */
    @Bean
    RecurringTask<Void> webhookCleanupTask(WebhookDelivery delivery) {
        return Tasks.recurring(WebhookDelivery.CLEANUP_TASK, FixedDelay.of(Duration.ofHours(1)))
                .execute((instance, context) -> delivery.forgetFinished());
    }

    /** Starts polling once the server is up and stops it before the database pool closes. */
    @Bean
    JobRunner jobSchedulerLifecycle(DataSource dataSource, List<Task<?>> tasks, JobSettings settings, Clock clock) {
        return new JobRunner(() -> build(dataSource, tasks, settings, clock));
    }

    /** The polling scheduler of this instance, started and stopped with the context. */
    static final class JobRunner implements SmartLifecycle {

        private final Supplier<Scheduler> factory;
        private volatile Scheduler polling;

        JobRunner(Supplier<Scheduler> factory) {
            this.factory = factory;
        }

        /** Looks for due jobs now rather than at the next poll: for jobs just committed that should run at once. */
        void wakeUp() {
            Scheduler scheduler = polling;
            if (scheduler != null) {
                scheduler.triggerCheckForDueExecutions();
            }
        }

        @Override
        public void start() {
            Scheduler scheduler = factory.get();
            scheduler.start();
            polling = scheduler;
        }

        @Override
        public void stop() {
            Scheduler scheduler = polling;
            polling = null;
            if (scheduler != null) {
                scheduler.stop();
            }
        }

        @Override
        public boolean isRunning() {
            return polling != null;
        }
    }
}
