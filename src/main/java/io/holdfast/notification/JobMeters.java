package io.holdfast.notification;

import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The job table as meters, per task: {@code holdfast.jobs.planned} (waiting or running) and
 * {@code holdfast.jobs.retrying} (the retry backlog: jobs whose last run failed and that wait for another). Read
 * from the shared table at each scrape, so every instance reports the cluster's figure (aggregate with max, not sum).
 */
@Component
class JobMeters {

    JobMeters(JdbcClient jdbc, MeterRegistry metrics) {
        for (String task : List.of(Reminders.TASK, WebhookDelivery.TASK)) {
            Gauge.builder("holdfast.jobs.planned", () -> count(jdbc, task, false)).tag("task", task)
                    .description("Jobs planned or running, all instances").register(metrics);
            Gauge.builder("holdfast.jobs.retrying", () -> count(jdbc, task, true)).tag("task", task)
                    .description("Jobs waiting for a retry after a failed run, all instances").register(metrics);
        }
    }

    private static double count(JdbcClient jdbc, String task, boolean failedOnly) {
        return countOrNaN(jdbc, "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = ?"
                + (failedOnly ? " AND consecutive_failures > 0" : ""), task);
    }

    /** A gauge's {@code SELECT COUNT(*)}, or NaN while the database does not answer: a scrape must not fail with it. */
    static double countOrNaN(JdbcClient jdbc, String sql, Object... params) {
        try {
            return jdbc.sql(sql).params(params).query(Long.class).single();
        } catch (org.springframework.dao.DataAccessException unreachable) {
            return Double.NaN;
        }
    }
}
