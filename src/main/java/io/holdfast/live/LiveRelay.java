package io.holdfast.live;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.holdfast.hold.RedisConfigured;
import io.holdfast.hold.StorageMode;
import io.holdfast.hold.TemporaryStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fans slot events out to the other instances through Redis pub/sub, on scoped channels
 * ({@code hf:slots:<date>:<staffId>}, after the seeds' {@code appointease:slots:{date}:{employee_id}}). An instance
 * subscribes to a channel only while it has viewers of it. Listener containers are known to come back from a Redis
 * restart without their subscriptions, so every few seconds the relay sends itself a message and restarts the
 * container when it does not arrive.
 */
@Component
@Conditional(RedisConfigured.class)
class LiveRelay implements MessageListener {

    private static final Logger log = LoggerFactory.getLogger(LiveRelay.class);

    /** A slot event as it travels between instances; the origin lets an instance skip its own events. */
    record Envelope(String origin, SlotEvent event) {
    }

    private final String instanceId = UUID.randomUUID().toString();
    private final StringRedisTemplate redis;
    private final RedisMessageListenerContainer container = new RedisMessageListenerContainer();
    private final LiveStreams streams;
    private final TemporaryStore store;
    private final JsonMapper json;
    private final ChannelTopic selfCheck = new ChannelTopic("hf:slots:self-check:" + instanceId);
    private final Map<LiveStreams.Channel, ChannelTopic> subscribed = new ConcurrentHashMap<>();
    private final Counter restarts;
    private volatile long lastSelfCheckSent;
    private volatile long lastSelfCheckReceived = System.currentTimeMillis();

    LiveRelay(StringRedisTemplate redis, RedisConnectionFactory connections, LiveStreams streams, TemporaryStore store,
            JsonMapper json, MeterRegistry metrics) {
        this.redis = redis;
        this.streams = streams;
        this.store = store;
        this.json = json;
        this.restarts = Counter.builder("holdfast.live.relay.restarts")
                .description("Redis subscription restarts after a lost subscription").register(metrics);
        container.setConnectionFactory(connections);
        container.addMessageListener(this, selfCheck);
        container.afterPropertiesSet();
        container.start();
        streams.onChannelUse(this::subscribe, this::unsubscribe);
    }

    void publish(SlotEvent event) {
        if (store.mode() != StorageMode.REDIS) {
            return; // Redis is away: the event went to this instance's streams; other instances' pollers see versions
        }
        try {
            redis.convertAndSend(channel(event.staffId(), event.date().toString()),
                    json.writeValueAsString(new Envelope(instanceId, event)));
        } catch (DataAccessException unreachable) {
            log.debug("Could not relay a slot event through Redis", unreachable);
        }
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        String channel = new String(message.getChannel(), StandardCharsets.UTF_8);
        if (channel.equals(selfCheck.getTopic())) {
            lastSelfCheckReceived = System.currentTimeMillis();
            return;
        }
        Envelope envelope = json.readValue(message.getBody(), Envelope.class);
        if (!envelope.origin().equals(instanceId)) {
            streams.deliver(envelope.event());
        }
    }

    /** Proves the subscription alive with a message to itself; restarts the container when one goes missing. */
    @Scheduled(fixedDelayString = "${holdfast.live.relay-check-interval:5s}")
    void checkSubscription() {
        if (store.mode() != StorageMode.REDIS) {
            return;
        }
        long now = System.currentTimeMillis();
        if (lastSelfCheckSent > lastSelfCheckReceived && now - lastSelfCheckSent > Duration.ofSeconds(2).toMillis()) {
            log.warn("The Redis subscription stopped delivering; restarting it");
            restarts.increment();
            container.stop();
            container.start();
        }
        try {
            lastSelfCheckSent = now;
            redis.convertAndSend(selfCheck.getTopic(), "ping");
        } catch (DataAccessException unreachable) {
            log.debug("Self-check message not sent", unreachable);
        }
    }

    /** When a self-check message last arrived, or 0 while the last one sent is still missing. */
    long subscriptionProvenAt() {
        long received = lastSelfCheckReceived;
        return received >= lastSelfCheckSent ? received : 0;
    }

    private void subscribe(LiveStreams.Channel channel) {
        ChannelTopic topic = new ChannelTopic(channel(channel.staffId(), channel.date().toString()));
        if (subscribed.putIfAbsent(channel, topic) == null) {
            container.addMessageListener(this, topic);
        }
    }

    private void unsubscribe(LiveStreams.Channel channel) {
        ChannelTopic topic = subscribed.remove(channel);
        if (topic != null) {
            container.removeMessageListener(this, topic);
        }
    }

    @PreDestroy
    void stop() {
        container.stop();
        try {
            container.destroy();
        } catch (Exception ignoredOnShutdown) {
            log.debug("Listener container did not close cleanly", ignoredOnShutdown);
        }
    }

    static String channel(long staffId, String date) {
        return "hf:slots:" + date + ":" + staffId;
    }
}
