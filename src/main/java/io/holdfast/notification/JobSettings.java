package io.holdfast.notification;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The durable job scheduler (db-scheduler) shared by the notification jobs.
 *
 * @param pollInterval     how often each instance looks for due jobs; a job runs at most this late
 * @param heartbeat        how often an instance marks the jobs it runs as alive
 * @param missedHeartbeats heartbeats missed after which another instance takes over a job (its instance died)
 * @param threads          jobs one instance runs at once
 * @param shutdownWait     how long a stopping instance lets running jobs finish; unfinished ones run elsewhere later
 */
@ConfigurationProperties("holdfast.jobs")
record JobSettings(@DefaultValue("5s") Duration pollInterval, @DefaultValue("30s") Duration heartbeat,
        @DefaultValue("6") int missedHeartbeats, @DefaultValue("4") int threads,
        @DefaultValue("10s") Duration shutdownWait) {
}
