package io.holdfast.hold;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import io.holdfast.redis.RedisMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.TaskScheduler;

/**
 * Announces holds whose lease ran out ({@link HoldLapsed}), so viewers see the slot free again without waiting for
 * their next poll. Runs twice a second; with Redis, keyspace expiry events wake it sooner.
 */
class HoldLapseWatcher {

    private static final Logger log = LoggerFactory.getLogger(HoldLapseWatcher.class);
    private static final int BATCH = 200;

    private final TemporaryStore store;
    private final ApplicationEventPublisher events;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();

    HoldLapseWatcher(TemporaryStore store, ApplicationEventPublisher events) {
        this.store = store;
        this.events = events;
    }

    /**
     * Runs the watcher when Redis expires a granule lease, so viewers learn of a lapse within milliseconds instead
     * of at the next sweep. One lapse expires many granule keys at once: the watcher runs once for the burst.
     */
    void wakeOnLeaseExpiry(RedisMessages messages, TaskScheduler scheduler) {
        messages.onExpiredKey(key -> {
            if (key.startsWith("hf:{s:") && key.contains("}:g:") && wakeScheduled.compareAndSet(false, true)) {
                scheduler.schedule(() -> {
                    wakeScheduled.set(false);
                    announceLapses();
                }, Instant.now().plusMillis(20));
            }
        });
    }

    void announceLapses() {
        try {
            int taken;
            do {
                var lapsed = store.takeLapsed(BATCH);
                lapsed.forEach(hold -> events.publishEvent(new HoldLapsed(hold.id(), hold.clientId(), hold.items(),
                        HoldLapsed.Reason.EXPIRED)));
                taken = lapsed.size();
            } while (taken == BATCH);
            do {
                var lapsed = store.takeLapsedSelections(BATCH);
                lapsed.forEach(selection -> events.publishEvent(new SelectionLapsed(selection)));
                taken = lapsed.size();
            } while (taken == BATCH);
        } catch (RuntimeException failure) {
            log.warn("Announcing lapsed holds failed; will retry", failure);
        }
    }
}
