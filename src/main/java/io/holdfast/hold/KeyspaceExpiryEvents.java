package io.holdfast.hold;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.TaskScheduler;

/**
 * Wakes the lapse watcher when Redis expires a granule lease (keyspace notifications, seed: notify-keyspace-events
 * Ex), so viewers learn of a lapse within milliseconds instead of at the next sweep. Turns the notifications on
 * when the server allows CONFIG SET; when it does not, the sweep alone announces lapses (within its interval).
 */
class KeyspaceExpiryEvents {

    private static final Logger log = LoggerFactory.getLogger(KeyspaceExpiryEvents.class);

    private final RedisConnectionFactory connections;
    private final RedisMessageListenerContainer container;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();

    KeyspaceExpiryEvents(RedisConnectionFactory connections, HoldLapseWatcher watcher, TaskScheduler scheduler) {
        this.connections = connections;
        enableNotifications(connections);
        this.container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connections);
        container.addMessageListener((message, pattern) -> {
            String key = new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8);
            if (key.startsWith("hf:{s:") && key.contains("}:g:") && wakeScheduled.compareAndSet(false, true)) {
                // One lapse expires many granule keys at once: run the watcher once for the burst.
                scheduler.schedule(() -> {
                    wakeScheduled.set(false);
                    watcher.announceLapses();
                }, java.time.Instant.now().plusMillis(20));
            }
        }, new PatternTopic("__keyevent@*__:expired"));
        container.afterPropertiesSet();
        container.start();
    }

    /**
     * A Redis that was restarted (the usual end of an outage) comes back with the flags of its configuration file,
     * without what was set here before: set them again once traffic is back on Redis.
     */
    @org.springframework.context.event.EventListener
    void storageModeChanged(StorageModeChanged changed) {
        if (changed.mode() == StorageMode.REDIS) {
            enableNotifications(connections);
        }
    }

    void stop() {
        container.stop();
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
