package io.holdfast.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import io.holdfast.redis.StorageMode;
import io.holdfast.redis.StorageModeChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When this instance failed over to SQL lately, for the seeds' alert "Failover > 5/hour → Critical": the router
 * counts failovers since start, which says nothing about how often they happen now.
 */
@Component
class FailoverHistory {

    static final Duration WINDOW = Duration.ofHours(1);
    /** More than this many failovers in {@link #WINDOW} is critical (seed 000). */
    static final int CRITICAL_PER_HOUR = 5;

    private final Deque<Instant> failovers = new ArrayDeque<>();

    @EventListener
    synchronized void storageModeChanged(StorageModeChanged changed) {
        if (changed.mode() == StorageMode.SQL) {
            failovers.addLast(changed.at());
            forgetBefore(changed.at().minus(WINDOW));
        }
    }

    /** Failovers in the hour before {@code now}. */
    synchronized int lastHour(Instant now) {
        forgetBefore(now.minus(WINDOW));
        return (int) failovers.stream().filter(at -> !at.isAfter(now)).count();
    }

    private void forgetBefore(Instant start) {
        Instant oldest;
        while ((oldest = failovers.peekFirst()) != null && oldest.isBefore(start)) {
            failovers.pollFirst();
        }
    }
}
