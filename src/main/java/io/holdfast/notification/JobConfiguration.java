package io.holdfast.notification;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
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

    @Bean(destroyMethod = "")
    Scheduler jobScheduler(DataSource dataSource, List<Task<?>> tasks, JobSettings settings, Clock clock) {
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), tasks)
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
                .build();
    }

    /** The reminder mail of one booking and lead (see {@link Reminders}); its data is the sealed manage token. */
    @Bean
    OneTimeTask<String> bookingReminder(ReminderMail mail, ReminderSettings settings) {
        return Tasks.oneTime(Reminders.TASK, String.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(settings.retryDelay()))
                .execute((instance, context) -> mail.send(instance.getId(), instance.getData()));
    }

    /** Starts polling once the server is up and stops it before the database pool closes. */
    @Bean
    SmartLifecycle jobSchedulerLifecycle(Scheduler scheduler) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                scheduler.start();
                running = true;
            }

            @Override
            public void stop() {
                running = false;
                scheduler.stop();
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
