package io.holdfast.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.listener.Topic;

/**
 * Redis pub/sub for every module, over one listener container (one subscriber connection per instance). Listener
 * containers are known to come back from a Redis restart without their subscriptions, so {@link #checkSubscription}
 * sends the instance a message of its own and restarts the container when the previous one never arrived. Always
 * present: without a configured Redis, subscriptions are accepted and never called, and nothing is published.
 *
 * <p>Messages are handed to listeners on one thread of this class, in the order Redis sent them: the container's
 * default would start a new thread for every message, which costs a thread start per message and lets two messages
 * of one channel overtake each other (a viewer would see a day's versions out of order). Listeners are therefore
 * short: they hand any longer work on.
 */
public final class RedisMessages {

    private static final Logger log = LoggerFactory.getLogger(RedisMessages.class);

    /** What {@link #subscribe} returns: ends that one subscription. */
    public interface Subscription {
        void cancel();
    }

    private final StringRedisTemplate redis;
    private final RedisFirst router;
    private final RedisMessageListenerContainer container;
    private final ExecutorService dispatcher;
    private final ChannelTopic selfCheck = new ChannelTopic("hf:slots:self-check:" + UUID.randomUUID());
    private final Counter restarts;
    private final java.util.List<Consumer<String>> expiryListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long lastSelfCheckSent;
    private volatile long lastSelfCheckReceived = System.currentTimeMillis();
    /** When the oldest self-check still unanswered was sent, or the container last restarted if that is later. */
    private long waitingSince;

    private RedisMessages(StringRedisTemplate redis, RedisConnectionFactory connections, RedisFirst router,
            MeterRegistry metrics) {
        this.redis = redis;
        this.router = router;
        if (connections == null) {
            container = null;
            dispatcher = null;
            restarts = null;
            return;
        }
        // The name is the live relay's, which had the only container that checked itself before there was one.
        restarts = Counter.builder("holdfast.live.relay.restarts")
                .description("Redis subscription restarts: after a lost subscription, and at each switch back to Redis")
                .register(metrics);
        container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connections);
        dispatcher = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "redis-messages");
            thread.setDaemon(true);
            return thread;
        });
        container.setTaskExecutor(dispatcher);
        container.addMessageListener((message, pattern) -> lastSelfCheckReceived = System.currentTimeMillis(), selfCheck);
        container.afterPropertiesSet();
        listen();
    }

    /**
     * Starts the container's subscriptions. A Redis that does not answer (a Cluster whose topology cannot be read,
     * say) must not stop the server from starting, any more than for the temporary state, which serves from SQL
     * until Redis answers: {@link #checkSubscription} then finds its self-check missing and starts the container
     * again.
     */
    private void listen() {
        try {
            container.start();
        } catch (DataAccessException | io.lettuce.core.RedisException unreachable) {
            log.warn("Redis pub/sub is not reachable ({}); subscribing again once Redis answers",
                    unreachable.getMessage());
        }
    }

    static RedisMessages withRedis(StringRedisTemplate redis, RedisConnectionFactory connections, RedisFirst router,
            MeterRegistry metrics) {
        return new RedisMessages(redis, connections, router, metrics);
    }

    static RedisMessages withoutRedis() {
        return new RedisMessages(null, null, RedisFirst.withoutRedis(), null);
    }

    /** Calls {@code listener} with the text of every message on {@code channel} until cancelled. */
    public Subscription subscribe(String channel, Consumer<String> listener) {
        return listen(new ChannelTopic(channel), listener);
    }

    /** Calls {@code listener} with the text of every message on a channel matching {@code pattern}. */
    Subscription subscribePattern(String pattern, Consumer<String> listener) {
        return listen(new PatternTopic(pattern), listener);
    }

    private Subscription listen(Topic topic, Consumer<String> listener) {
        if (container == null) {
            return () -> { };
        }
        MessageListener adapter = (message, pattern) -> {
            try {
                listener.accept(new String(message.getBody(), StandardCharsets.UTF_8));
            } catch (RuntimeException malformed) {
                log.warn("Ignored a Redis message on {} that could not be handled", topic.getTopic(), malformed);
            }
        };
        try {
            container.addMessageListener(adapter, topic);
        } catch (DataAccessException | io.lettuce.core.RedisException unreachable) {
            // The container has registered the listener before it tried to subscribe, so the restart that
            // checkSubscription makes once Redis answers subscribes it with the others.
            log.debug("Subscription to {} waits for Redis", topic.getTopic(), unreachable);
        }
        return () -> container.removeMessageListener(adapter, topic);
    }

    /**
     * Calls {@code listener} with the name of every key Redis expires (keyspace events, which this module turns on
     * where the server allows it; see {@link KeyspaceExpiryEvents}). On a server that refuses them, never called.
     */
    public void onExpiredKey(Consumer<String> listener) {
        expiryListeners.add(listener);
    }

    void expired(String key) {
        for (Consumer<String> listener : expiryListeners) {
            listener.accept(key);
        }
    }

    /**
     * Publishes while Redis serves, without waiting for its reply: no caller needs the number of receivers, and the
     * request that made the change (a hold, a booking) should not wait a round trip for it (issue #13). Messages go
     * out in order on the one shared connection. False when Redis does not serve or refused the command at once; a
     * message lost on its way is logged, and its subscribers notice the version gap and refetch.
     */
    public boolean publish(String channel, String message) {
        if (container == null || router.mode() != StorageMode.REDIS) {
            return false;
        }
        try {
            redis.execute((RedisCallback<Void>) connection -> {
                @SuppressWarnings("unchecked")
                var async = (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
                async.publish(channel.getBytes(StandardCharsets.UTF_8), message.getBytes(StandardCharsets.UTF_8))
                        .whenComplete((receivers, failure) -> {
                            if (failure != null) {
                                log.debug("Could not publish on {}", channel, failure);
                            }
                        });
                return null;
            });
            return true;
        } catch (DataAccessException | io.lettuce.core.RedisException unreachable) {
            log.debug("Could not publish on {}", channel, unreachable);
            return false;
        }
    }

    /**
     * Proves the subscription alive with a message to itself; restarts the container when a message has been
     * missing for 2 s. Measured from the oldest unanswered message, not the last one sent: with checks more often
     * than every 2 s the last one is always younger than that, and a silent subscription was never restarted. Called
     * by one scheduled task at a time.
     */
    public void checkSubscription() {
        if (container == null || router.mode() != StorageMode.REDIS) {
            return;
        }
        long now = System.currentTimeMillis();
        boolean waiting = lastSelfCheckSent > lastSelfCheckReceived;
        if (!waiting) {
            waitingSince = now;
        } else if (now - waitingSince > Duration.ofSeconds(2).toMillis()) {
            log.warn("The Redis subscription stopped delivering; restarting it");
            restart();
            // The new subscription gets the same 2 s before it is restarted again.
            waitingSince = now;
        }
        try {
            lastSelfCheckSent = now;
            redis.convertAndSend(selfCheck.getTopic(), "ping");
        } catch (DataAccessException | io.lettuce.core.RedisException unreachable) {
            log.debug("Self-check message not sent", unreachable);
        }
    }

    /**
     * On the switch back to Redis, subscribes every channel again on a fresh connection. Lettuce's reconnect subscribes
     * again only the channels Redis had confirmed before it went, so one subscribed just as Redis died (a viewer who
     * arrived then) stayed silent, and the self-check proves only its own channel. Messages published during the
     * restart are lost as any message may be: subscribers notice the version gap and refetch. Not on the publishing
     * thread: a container stop waits for its subscription to end.
     */
    @EventListener
    void storageModeChanged(StorageModeChanged changed) {
        if (container != null && changed.mode() == StorageMode.REDIS) {
            Thread resubscribe = new Thread(this::restart, "redis-messages-resubscribe");
            resubscribe.setDaemon(true);
            resubscribe.start();
        }
    }

    private synchronized void restart() {
        restarts.increment();
        container.stop();
        listen();
    }

    /** When a self-check message last arrived, or 0 while the last one sent is still missing. */
    public long subscriptionProvenAt() {
        long received = lastSelfCheckReceived;
        return received >= lastSelfCheckSent ? received : 0;
    }

    void stop() {
        if (container == null) {
            return;
        }
        container.stop();
        try {
            container.destroy();
        } catch (Exception ignoredOnShutdown) {
            log.debug("Listener container did not close cleanly", ignoredOnShutdown);
        }
        dispatcher.shutdown();
    }
}
