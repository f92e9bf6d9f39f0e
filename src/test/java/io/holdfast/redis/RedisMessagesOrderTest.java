package io.holdfast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.holdfast.support.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Messages of a channel reach its listener in the order Redis sent them, one at a time: the live relay's events of a
 * day must not overtake each other (a viewer checks each event's previous version against the last it saw). A burst
 * of messages, published in one pipeline, is the case where handing each message to a thread of its own reorders
 * them.
 */
class RedisMessagesOrderTest {

    private static final int MESSAGES = 2_000;

    @Test
    void aBurstOfMessagesOnOneChannelArrivesInOrderAndOneAtATime() throws Exception {
        try (RedisServer server = RedisServer.start()) {
            LettuceConnectionFactory connections = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration("127.0.0.1", server.port()));
            connections.afterPropertiesSet();
            connections.start();
            StringRedisTemplate redis = new StringRedisTemplate(connections);
            RedisMessages messages = RedisMessages.withRedis(redis, connections,
                    RedisFirstSupport.withRedis(event -> { }), new SimpleMeterRegistry());
            try {
                BlockingQueue<String> received = new LinkedBlockingQueue<>();
                int[] inListener = {0};
                int[] overlapping = {0};
                messages.subscribe("test:order", message -> {
                    synchronized (inListener) {
                        if (++inListener[0] > 1) {
                            overlapping[0]++;
                        }
                    }
                    received.add(message);
                    synchronized (inListener) {
                        inListener[0]--;
                    }
                });
                // The container subscribes in the background: probe until a message comes through.
                String probe;
                do {
                    messages.publish("test:order", "probe");
                    probe = received.poll(100, TimeUnit.MILLISECONDS);
                } while (probe == null);
                Thread.sleep(200);
                received.clear();

                byte[] channel = "test:order".getBytes(StandardCharsets.UTF_8);
                redis.executePipelined((RedisCallback<Object>) connection -> {
                    for (int i = 0; i < MESSAGES; i++) {
                        connection.publish(channel, Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                    }
                    return null;
                });
                List<Integer> order = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (order.size() < MESSAGES && System.nanoTime() < deadline) {
                    String message = received.poll(1, TimeUnit.SECONDS);
                    if (message != null && !message.equals("probe")) {
                        order.add(Integer.parseInt(message));
                    }
                }
                assertThat(order).hasSize(MESSAGES).isSorted();
                synchronized (inListener) {
                    assertThat(overlapping[0]).as("listener calls that overlapped another").isZero();
                }
            } finally {
                messages.stop();
                connections.destroy();
            }
        }
    }
}
