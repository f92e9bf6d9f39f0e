package io.holdfast.cache;

import io.holdfast.redis.RedisMessages;
import org.springframework.context.SmartLifecycle;

/**
 * Listens for other instances' invalidations (and for the confirmations of this instance's own) on Redis pub/sub.
 * The shared listener container resubscribes after Redis comes back; messages sent meanwhile are lost, which is why
 * the gate flushes local entries before Redis is used again. Without Redis the subscriptions are never called.
 */
class InvalidationSubscriber implements SmartLifecycle {

    private final RedisMessages messages;
    private final CacheInvalidation invalidation;
    private final CacheKeyspace keyspace;
    private volatile RedisMessages.Subscription invalidations;
    private volatile RedisMessages.Subscription acknowledgements;

    InvalidationSubscriber(RedisMessages messages, CacheInvalidation invalidation, CacheKeyspace keyspace) {
        this.messages = messages;
        this.invalidation = invalidation;
        this.keyspace = keyspace;
    }

    @Override
    public void start() {
        invalidations = messages.subscribe(keyspace.invalidationChannel(), invalidation::received);
        acknowledgements = messages.subscribe(keyspace.ackChannel(invalidation.instanceId()), invalidation::acknowledged);
    }

    @Override
    public void stop() {
        if (invalidations != null) {
            invalidations.cancel();
            acknowledgements.cancel();
            invalidations = null;
        }
    }

    @Override
    public boolean isRunning() {
        return invalidations != null;
    }
}
