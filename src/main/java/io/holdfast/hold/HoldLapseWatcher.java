package io.holdfast.hold;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Announces holds whose lease ran out ({@link HoldLapsed}), so viewers see the slot free again without waiting for
 * their next poll. Runs twice a second; with Redis, keyspace expiry events wake it sooner.
 */
@Component
class HoldLapseWatcher {

    private static final Logger log = LoggerFactory.getLogger(HoldLapseWatcher.class);
    private static final int BATCH = 200;

    private final TemporaryStore store;
    private final ApplicationEventPublisher events;

    HoldLapseWatcher(TemporaryStore store, ApplicationEventPublisher events) {
        this.store = store;
        this.events = events;
    }

    @Scheduled(fixedDelayString = "${holdfast.hold.lapse-check-interval:500ms}")
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
