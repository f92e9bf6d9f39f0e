package io.holdfast.live;

import java.util.Optional;

import io.holdfast.hold.StorageMode;
import io.holdfast.hold.StorageModeChanged;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Delivers slot events to this instance's streams at once, and to the other instances through Redis pub/sub
 * (scoped channels, one per staff member and day). Without Redis, or while it is away, delivery is in-process only;
 * pollers on other instances still see every change through the versions.
 */
@Component
class LiveBus {

    private final LiveStreams streams;
    private final Optional<LiveRelay> relay;

    LiveBus(LiveStreams streams, ObjectProvider<LiveRelay> relay) {
        this.streams = streams;
        this.relay = Optional.ofNullable(relay.getIfAvailable());
    }

    void publish(SlotEvent event) {
        streams.deliver(event);
        relay.ifPresent(redis -> redis.publish(event));
    }

    @EventListener
    void modeChanged(StorageModeChanged changed) {
        streams.deliverMode(changed.mode() == StorageMode.REDIS ? "redis" : "sql", changed.at().toString());
    }
}
