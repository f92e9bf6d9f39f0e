package io.holdfast.live;

import io.holdfast.live.web.LiveStreams;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.holdfast.redis.RedisMessages;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fans slot events out to the other instances through Redis pub/sub, on scoped channels
 * ({@code hf:slots:<date>:<staffId>}, after the seeds' {@code appointease:slots:{date}:{employee_id}}). An instance
 * subscribes to a channel only while it has viewers of it. Without Redis, or while it is away, nothing is sent:
 * the event went to this instance's streams, and other instances' pollers see the versions.
 */
@Component
class LiveRelay {

    /** A slot event as it travels between instances; the origin lets an instance skip its own events. */
    record Envelope(String origin, SlotEvent event) {
    }

    private final String instanceId = UUID.randomUUID().toString();
    private final RedisMessages messages;
    private final LiveStreams streams;
    private final JsonMapper json;
    private final Map<LiveStreams.Channel, RedisMessages.Subscription> subscribed = new ConcurrentHashMap<>();

    LiveRelay(RedisMessages messages, LiveStreams streams, JsonMapper json) {
        this.messages = messages;
        this.streams = streams;
        this.json = json;
        streams.onChannelUse(this::subscribe, this::unsubscribe);
    }

    void publish(SlotEvent event) {
        messages.publish(channel(event.staffId(), event.date().toString()),
                json.writeValueAsString(new Envelope(instanceId, event)));
    }

    private void received(String message) {
        Envelope envelope = json.readValue(message, Envelope.class);
        if (!envelope.origin().equals(instanceId)) {
            streams.deliver(envelope.event());
        }
    }

    private void subscribe(LiveStreams.Channel channel) {
        subscribed.computeIfAbsent(channel,
                key -> messages.subscribe(channel(key.staffId(), key.date().toString()), this::received));
    }

    private void unsubscribe(LiveStreams.Channel channel) {
        RedisMessages.Subscription subscription = subscribed.remove(channel);
        if (subscription != null) {
            subscription.cancel();
        }
    }

    static String channel(long staffId, String date) {
        return "hf:slots:" + date + ":" + staffId;
    }
}
