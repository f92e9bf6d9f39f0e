package io.holdfast.live;


import io.holdfast.live.web.LiveStreams;
import io.holdfast.redis.StorageMode;
import io.holdfast.redis.StorageModeChanged;
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
    private final LiveRelay relay;

    LiveBus(LiveStreams streams, LiveRelay relay) {
        this.streams = streams;
        this.relay = relay;
    }

    void publish(SlotEvent event) {
        streams.deliver(event);
        relay.publish(event);
    }

    @EventListener
    void modeChanged(StorageModeChanged changed) {
        streams.deliverMode(changed.mode() == StorageMode.REDIS ? "redis" : "sql", changed.at().toString());
    }
}
