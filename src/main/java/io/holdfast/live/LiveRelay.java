package io.holdfast.live;

import io.holdfast.availability.VersionMessage;
import io.holdfast.availability.Versions;
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
 * subscribes to a channel only while it has viewers of it. The messages are published by the script that raises the
 * day's version ({@link io.holdfast.availability.DayVersions#bump}), in the order of the versions. Without Redis, or while it is away, nothing is sent:
 * the event went to this instance's streams, and other instances' pollers see the versions.
 */
@Component
class LiveRelay {

    /** A slot event as it travels between instances; the origin lets an instance skip its own events. */
    record Envelope(String origin, SlotEvent event) {
    }

    /** How an envelope's JSON ends when its event's versions are 0 (see {@link #message}). */
    private static final String UNVERSIONED_END = ",\"version\":0,\"previousVersion\":0}}";

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

    /**
     * The message that carries {@code change} to the other instances: the day's version raise publishes it with the
     * versions written in (see {@link VersionMessage}), so the event needs no round trip of its own. Its text is the
     * {@link Envelope}'s JSON as Jackson writes it: the event's versions are its last two components, so the text
     * written with versions of 0 ends in {@link #UNVERSIONED_END}, which the script's versions replace (one
     * serialisation, as before the script published it).
     */
    VersionMessage message(SlotEvent change) {
        return message(json, instanceId, change);
    }

    static VersionMessage message(JsonMapper json, String origin, SlotEvent change) {
        String unversioned = json.writeValueAsString(new Envelope(origin, change.at(new Versions(0, 0))));
        if (!unversioned.endsWith(UNVERSIONED_END)) {
            throw new IllegalStateException("A slot event's versions must be its last components: " + unversioned);
        }
        return new VersionMessage(channel(change.staffId(), change.date().toString()),
                unversioned.substring(0, unversioned.length() - UNVERSIONED_END.length()) + ",\"version\":",
                ",\"previousVersion\":", "}}");
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
