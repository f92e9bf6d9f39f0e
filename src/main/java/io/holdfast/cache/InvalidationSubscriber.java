package io.holdfast.cache;

import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Listens for other instances' invalidations (and for the confirmations of this instance's own) on Redis pub/sub.
 * The container resubscribes by itself after Redis comes back; messages sent meanwhile are lost, which is why the
 * gate flushes local entries before Redis is used again.
 */
class InvalidationSubscriber implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InvalidationSubscriber.class);

    private final RedisConnectionFactory connections;
    private final CacheInvalidation invalidation;
    private final CacheKeyspace keyspace;
    private final RedisCacheGate gate;
    private RedisMessageListenerContainer container;

    InvalidationSubscriber(RedisConnectionFactory connections, CacheInvalidation invalidation, CacheKeyspace keyspace,
            RedisCacheGate gate) {
        this.connections = connections;
        this.invalidation = invalidation;
        this.keyspace = keyspace;
        this.gate = gate;
    }

    @Override
    public void start() {
        if (!gate.configured()) {
            return;
        }
        container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connections);
        container.addMessageListener((message, pattern) -> {
            try {
                invalidation.received(new String(message.getBody(), StandardCharsets.UTF_8));
            } catch (RuntimeException malformed) {
                log.warn("Cache: ignored an invalidation message that could not be applied", malformed);
            }
        }, new ChannelTopic(keyspace.invalidationChannel()));
        container.addMessageListener((message, pattern) -> invalidation.acknowledged(
                new String(message.getBody(), StandardCharsets.UTF_8)),
                new ChannelTopic(keyspace.ackChannel(invalidation.instanceId())));
        container.afterPropertiesSet();
        container.start();
    }

    @Override
    public void stop() {
        if (container != null) {
            container.stop();
            try {
                container.destroy();
            } catch (Exception failure) {
                log.debug("Cache: listener container did not close cleanly", failure);
            }
            container = null;
        }
    }

    @Override
    public boolean isRunning() {
        return container != null && container.isRunning();
    }
}
