package io.holdfast.redis;

import java.util.function.Consumer;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Redis keyspace expiry events (seed: notify-keyspace-events Ex), handed to {@link RedisMessages#onExpiredKey}
 * listeners, so that, for one, viewers learn of a hold's lapse within milliseconds instead of at the next sweep.
 * Turns the notifications on when the server allows CONFIG SET; when it does not, nobody is told and the features'
 * sweeps alone announce what expired.
 *
 * <p>An expiry event is published only by the server whose key expired, to its own subscribers (keyspace events do
 * not travel over a Cluster's bus). The shared listener container subscribes on one node, so on a Cluster the
 * subscription is made on every master instead, through Lettuce's cluster pub/sub with node message propagation.
 */
class KeyspaceExpiryEvents {

    private static final Logger log = LoggerFactory.getLogger(KeyspaceExpiryEvents.class);

    private static final String EXPIRED = "__keyevent@*__:expired";

    private final RedisConnectionFactory connections;
    private final AutoCloseable subscription;

    KeyspaceExpiryEvents(RedisConnectionFactory connections, RedisMessages messages) {
        this.connections = connections;
        enableNotifications(connections);
        if (connections instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware()) {
            this.subscription = onEveryMaster(lettuce, messages::expired);
        } else {
            RedisMessages.Subscription subscribed = messages.subscribePattern(EXPIRED, messages::expired);
            this.subscription = subscribed::cancel;
        }
    }

    /**
     * One pub/sub connection whose node connections each subscribe on their master; Lettuce re-subscribes a node
     * connection when it reconnects. A master added later (resharding, a promoted replica) is not subscribed until
     * the next start; the sweep announces its lapses meanwhile.
     */
    private static AutoCloseable onEveryMaster(LettuceConnectionFactory lettuce, Consumer<String> expired) {
        try {
            StatefulRedisClusterPubSubConnection<String, String> pubsub =
                    ((RedisClusterClient) lettuce.getRequiredNativeClient()).connectPubSub();
            pubsub.setNodeMessagePropagation(true);
            pubsub.addListener(new RedisClusterPubSubAdapter<>() {
                @Override
                public void message(RedisClusterNode node, String pattern, String channel, String message) {
                    expired.accept(message);
                }
            });
            pubsub.sync().upstream().commands().psubscribe(EXPIRED);
            return pubsub::close;
        } catch (RuntimeException unreachable) {
            log.warn("Could not subscribe to Redis keyspace expiry events on every Cluster master ({}); hold lapses"
                    + " are announced by the sweep only", unreachable.getMessage());
            return () -> { };
        }
    }

    /**
     * A Redis that was restarted (the usual end of an outage) comes back with the flags of its configuration file,
     * without what was set here before: the failback sets them again before traffic moves back to Redis.
     */
    void enableAgain() {
        enableNotifications(connections);
    }

    void stop() throws Exception {
        subscription.close();
    }

    /**
     * Whether a {@code notify-keyspace-events} value publishes expiry events: the keyevent class {@code E} and
     * expired events ({@code x}, or {@code A} for all).
     */
    static boolean publishesExpiries(String flags) {
        return flags != null && flags.contains("E") && (flags.contains("x") || flags.contains("A"));
    }

    /** The flags with what expiry events need added, keeping whatever else the server was set to publish. */
    static String withExpiries(String flags) {
        return flags + (flags.contains("E") ? "" : "E") + (flags.contains("x") || flags.contains("A") ? "" : "x");
    }

    /**
     * Sets the flags on every master: expiry events are published by the server whose key expired, so on a
     * Cluster each master must publish them (a cluster-wide CONFIG GET would not even show one master's value).
     */
    private static void enableNotifications(RedisConnectionFactory connections) {
        try {
            RedisNodes.onEveryMaster(connections, node -> {
                String flags = node.config("notify-keyspace-events").orElse("");
                if (!publishesExpiries(flags)) {
                    String wanted = withExpiries(flags);
                    node.setConfig("notify-keyspace-events", wanted);
                    log.info("Enabled Redis keyspace expiry events on {} (notify-keyspace-events={})", node.address(),
                            wanted);
                }
                return null;
            });
        } catch (RuntimeException refused) {
            log.warn("Could not enable Redis keyspace expiry events ({}); hold lapses are announced by the sweep only",
                    refused.getMessage());
        }
    }
}
