package io.holdfast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.holdfast.support.RedisServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Messages flow again soon after Redis comes back from a long outage. Lettuce's default reconnect delay doubles
 * with every failed attempt up to 30 s, so after 20 s of outage its next attempt came 8 s or more after Redis was back
 * (the server's health probe, publishing and failback waited as long); the server's client now reconnects within its
 * probe interval. The subscription also proves itself with a message to itself and is started again when one does
 * not arrive; before, that restart never happened when the check ran more often than every 2 s (the live tests run
 * it every 500 ms), because each check reset the time the missing message was measured from.
 */
class RedisMessagesAfterAnOutageTest {

    private static final Duration CHECK_INTERVAL = Duration.ofMillis(300);

    /**
     * The server's client reconnects within its probe interval however long Redis was away, so publishing, the
     * health probe and the subscription all come back within about a second of Redis.
     */
    @Test
    void publishingAndTheSubscriptionComeBackSoonAfterALongOutage() throws Exception {
        try (RedisServer server = RedisServer.start()) {
            ClientResources resources = theServersResources();
            LettuceConnectionFactory connections = connect(server, resources);
            try {
                assertDeliveredSoonAfterALongOutage(server, connections, connections);
            } finally {
                connections.destroy();
                resources.shutdown();
            }
        }
    }

    /**
     * A subscription that stays silent after Redis is back (here: its connection is left to Lettuce's default
     * reconnect delay, which doubles up to 30 s, while messages are published on a connection that is back) is
     * started again by the self-check, on a connection of its own, whatever the check's interval.
     */
    @Test
    void theSelfCheckRenewsASilentSubscriptionWhateverTheCheckInterval() throws Exception {
        try (RedisServer server = RedisServer.start()) {
            ClientResources fast = theServersResources();
            ClientResources lettucesDefault = ClientResources.create();
            LettuceConnectionFactory publishing = connect(server, fast);
            LettuceConnectionFactory subscribing = connect(server, lettucesDefault);
            try {
                assertDeliveredSoonAfterALongOutage(server, publishing, subscribing);
            } finally {
                subscribing.destroy();
                publishing.destroy();
                lettucesDefault.shutdown();
                fast.shutdown();
            }
        }
    }

    /**
     * A channel subscribed to just as Redis died (a viewer who arrived then: its SUBSCRIBE sent, not yet confirmed)
     * is not among the channels Lettuce subscribes again after its reconnect, and the self-check proves only its own
     * channel, so such a channel stayed silent for as long as its listener lived. The switch back to Redis now
     * subscribes every channel again on a fresh connection. No self-checks run here: only the switch can bring it.
     */
    @Test
    void aChannelSubscribedAsRedisDiedIsSubscribedAgainWhenTheServerSwitchesBack() throws Exception {
        try (RedisServer server = RedisServer.start()) {
            ClientResources resources = theServersResources();
            LettuceConnectionFactory connections = connect(server, resources);
            RedisMessages[] messages = new RedisMessages[1];
            RedisFirst router = RedisFirstSupport.withRedis(event -> {
                if (event instanceof StorageModeChanged changed) {
                    messages[0].storageModeChanged(changed);
                }
            });
            messages[0] = RedisMessages.withRedis(new StringRedisTemplate(connections), connections, router,
                    new SimpleMeterRegistry());
            try {
                BlockingQueue<String> early = new LinkedBlockingQueue<>();
                messages[0].subscribe("test:early", early::add);
                assertThat(delivered(messages[0], "test:early", early, Duration.ofSeconds(30)))
                        .as("delivered before the outage").isTrue();

                server.pause();
                BlockingQueue<String> late = new LinkedBlockingQueue<>();
                messages[0].subscribe("test:late", late::add);
                RedisFirstSupport.failOver(router, "test: Redis died");
                server.kill();
                server.restart();
                RedisFirstSupport.failBack(router, "test: Redis is back");

                assertThat(delivered(messages[0], "test:late", late, Duration.ofSeconds(10)))
                        .as("the channel subscribed as Redis died delivers within 10 s of the switch back").isTrue();
                assertThat(delivered(messages[0], "test:early", early, Duration.ofSeconds(10)))
                        .as("and so does the one subscribed before").isTrue();
            } finally {
                messages[0].stop();
                connections.destroy();
                resources.shutdown();
            }
        }
    }

    private static void assertDeliveredSoonAfterALongOutage(RedisServer server, LettuceConnectionFactory publishing,
            LettuceConnectionFactory subscribing) throws Exception {
        RedisMessages messages = RedisMessages.withRedis(new StringRedisTemplate(publishing), subscribing,
                RedisFirstSupport.withRedis(event -> { }), new SimpleMeterRegistry());
        ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor();
        try {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            messages.subscribe("test:renewed", received::add);
            checks.scheduleWithFixedDelay(messages::checkSubscription, 0, CHECK_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
            assertThat(delivered(messages, received, Duration.ofSeconds(30))).as("delivered before the outage")
                    .isTrue();

            server.kill();
            // Long enough for Lettuce's default reconnect attempts to back off to 8 s and more apart.
            Thread.sleep(Duration.ofSeconds(20).toMillis());
            server.restart();
            long back = System.currentTimeMillis();

            // Promised: a reconnect within 1 s, and a check that finds its message missing for 2 s starts the
            // subscription again. The bound leaves a loaded machine slack and is still below the 8 to 16 s that
            // Lettuce's default reconnect waits after 20 s of outage.
            long deadline = back + Duration.ofSeconds(6).toMillis();
            assertThat(delivered(messages, received, Duration.ofSeconds(6)))
                    .as("delivered within 6 s of Redis coming back").isTrue();
            // A self-check may be on its way at any moment (one every 300 ms), so its proof is awaited, not read once.
            while (messages.subscriptionProvenAt() <= back && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(messages.subscriptionProvenAt()).as("self-check proven within 6 s of Redis coming back")
                    .isGreaterThan(back);
        } finally {
            checks.shutdownNow();
            messages.stop();
        }
    }

    /** The server's client resources: reconnects at least every second (its probe interval). */
    private static ClientResources theServersResources() {
        return FailFastRedis.reconnectWithin(ClientResources.builder(), Duration.ofSeconds(1)).build();
    }

    /** The server's client: fail-fast options and its 500 ms command timeout, on the given resources. */
    private static LettuceConnectionFactory connect(RedisServer server, ClientResources resources) {
        LettuceConnectionFactory connections = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", server.port()),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofMillis(500)).clientResources(resources)
                        .clientOptions(FailFastRedis.apply(ClientOptions.builder(), Duration.ofSeconds(2)).build())
                        .build());
        connections.afterPropertiesSet();
        connections.start();
        return connections;
    }

    /** Publishes a probe every 100 ms until one arrives or the time is up. */
    private static boolean delivered(RedisMessages messages, BlockingQueue<String> received, Duration within)
            throws InterruptedException {
        return delivered(messages, "test:renewed", received, within);
    }

    private static boolean delivered(RedisMessages messages, String channel, BlockingQueue<String> received,
            Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            messages.publish(channel, "probe");
            if (received.poll(100, TimeUnit.MILLISECONDS) != null) {
                return true;
            }
        }
        return false;
    }
}
