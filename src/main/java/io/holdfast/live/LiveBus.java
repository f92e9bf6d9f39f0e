package io.holdfast.live;


import io.holdfast.availability.VersionMessage;
import io.holdfast.live.web.LiveStreams;
import io.holdfast.redis.StorageMode;
import io.holdfast.redis.StorageModeChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Delivers slot events to this instance's streams, and to the other instances through Redis pub/sub (scoped
 * channels, one per staff member and day; published with the day's version raise, see {@link LiveRelay}). Without Redis, or while it is away, delivery is in-process only;
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

    /** The message that tells the other instances of {@code change}; the raise of its day's version publishes it. */
    VersionMessage relayed(SlotEvent change) {
        return relay.message(change);
    }

    /** Delivers an event to this instance's streams (the other instances have it from the version's raise). */
    void deliver(SlotEvent event) {
        streams.deliver(event);
    }

    @EventListener
    void modeChanged(StorageModeChanged changed) {
        streams.deliverMode(changed.mode() == StorageMode.REDIS ? "redis" : "sql", changed.at().toString());
    }
}
