package io.holdfast.hold;

import java.util.Properties;
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

    private final RedisMessageListenerContainer container;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();

    KeyspaceExpiryEvents(RedisConnectionFactory connections, HoldLapseWatcher watcher, TaskScheduler scheduler) {
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

    void stop() {
        container.stop();
    }

    private static void enableNotifications(RedisConnectionFactory connections) {
        try (var connection = connections.getConnection()) {
            Properties current = connection.serverCommands().getConfig("notify-keyspace-events");
            String flags = current == null ? "" : current.getProperty("notify-keyspace-events", "");
            boolean expiredOn = flags.contains("E") && (flags.contains("x") || flags.contains("A"));
            if (!expiredOn) {
                String wanted = flags + (flags.contains("E") ? "" : "E") + (flags.contains("x") ? "" : "x");
                connection.serverCommands().setConfig("notify-keyspace-events", wanted);
                log.info("Enabled Redis keyspace expiry events (notify-keyspace-events={})", wanted);
            }
        } catch (RuntimeException refused) {
            log.warn("Could not enable Redis keyspace expiry events ({}); hold lapses are announced by the sweep only",
                    refused.getMessage());
        }
    }
}
