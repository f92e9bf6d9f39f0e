package io.holdfast.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Instance;
import io.holdfast.support.RedisCluster;
import io.holdfast.support.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Read-your-writes across two instances on a three-node Redis Cluster whose invalidation subscriptions sit on
 * different nodes. PUBLISH's reply counts the subscribers of one node only, so an instance that took it for the
 * number of instances waited for fewer confirmations than there are instances (or for none) before answering 201.
 */
class InvalidationAcksOnRedisClusterTest {

    private static final int INSTANCES = 2;
    private static RedisCluster cluster;
    private static String database;
    private static final List<Instance> servers = new ArrayList<>();

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
        database = "jdbc:h2:mem:acks-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        servers.add(instance());
        servers.add(instance());
        // Lettuce opens each instance's subscription on the node with the fewest clients, so they usually land apart;
        // when they do not, start B again (a new connection, a new choice) until they do.
        for (int attempt = 0; attempt < 8 && subscriptionNode(servers.get(0)) == subscriptionNode(servers.get(1));
                attempt++) {
            servers.remove(1).close();
            servers.add(instance());
        }
    }

    @AfterAll
    static void stop() {
        servers.forEach(Instance::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBookingOnOneInstanceWaitsForTheOtherInstancesConfirmationFromAnotherNode() {
        Instance a = servers.get(0);
        Instance b = servers.get(1);
        assertThat(subscriptionNode(a)).as("the instances' subscriptions are on different nodes")
                .isNotEqualTo(subscriptionNode(b));
        Api apiA = a.api();
        Api apiB = b.api();
        Fixtures fixtures = new Fixtures(apiA);
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        String[] times = {"08:00", "09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00", "17:00"};
        DistributionSummary receivers = metrics(a).get("holdfast.cache.invalidation.receivers").summary();
        long changesBefore = receivers.count();
        double awaitedBefore = receivers.totalAmount();
        double timeoutsBefore = metrics(a).get("holdfast.cache.invalidation.ack.timeouts").counter().count();

        for (int round = 0; round < times.length; round++) {
            // B reads the day twice: the second answer comes from its local memory, which only an invalidation drops.
            assertThat(CacheAcrossInstancesTest.states(apiB, salon, day)).containsEntry(times[round], "free");
            assertThat(CacheAcrossInstancesTest.states(apiB, salon, day)).containsEntry(times[round], "free");
            Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                    salon.start(day, times[round]));
            assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
            Api.Response booking = fixtures.book(hold.json(), "acks" + round + "@example.com");
            assertThat(booking.status()).as(booking.toString()).isEqualTo(201);
            assertThat(CacheAcrossInstancesTest.states(apiB, salon, day)).as("round %d on B", round)
                    .containsEntry(times[round], "booked");
        }

        long changes = receivers.count() - changesBefore;
        double awaited = receivers.totalAmount() - awaitedBefore;
        System.out.printf("cluster acks: %d invalidations on A awaited %.0f confirmations%n", changes, awaited);
        assertThat(changes).as("invalidations on A").isGreaterThanOrEqualTo(times.length);
        assertThat(awaited).as("confirmations A waited for: every instance, for every invalidation")
                .isEqualTo((double) INSTANCES * changes);
        assertThat(metrics(a).get("holdfast.cache.invalidation.ack.timeouts").counter().count())
                .as("A heard back from every instance it waited for in time").isEqualTo(timeoutsBefore);
    }

    /**
     * A slow instance on every node: each confirms only 300 ms after it received an invalidation. A's 201 must come
     * after all of them confirmed, wherever their subscriptions are (PUBLISH's reply would count at most one).
     */
    @Test
    void aBookingWaitsForSlowInstancesOnEveryNode() throws Exception {
        Instance a = servers.get(0);
        Api apiA = a.api();
        Fixtures fixtures = new Fixtures(apiA);
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        CacheKeyspace keyspace = a.bean(CacheKeyspace.class);
        List<SlowInstance> slow = new ArrayList<>();
        try {
            for (RedisServer node : cluster.nodes()) {
                slow.add(new SlowInstance(node, keyspace, Duration.ofMillis(300)));
            }
            awaitSubscribers(keyspace.invalidationChannel(), INSTANCES + slow.size());
            Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                    salon.start(day, "10:00"));
            assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
            long start = System.nanoTime();
            Api.Response booking = fixtures.book(hold.json(), "slow@example.com");
            long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertThat(booking.status()).as(booking.toString()).isEqualTo(201);
            System.out.printf("cluster acks: the booking took %d ms with a slow instance on each of %d nodes%n",
                    tookMillis, slow.size());
            for (SlowInstance instance : slow) {
                assertThat(instance.confirmed.get()).as("confirmations sent before A's 201 by the slow instance on %s",
                        instance.node).isEqualTo(1);
            }
        } finally {
            slow.forEach(SlowInstance::close);
        }
        awaitSubscribers(keyspace.invalidationChannel(), INSTANCES);
    }

    /** An instance as the protocol sees it: a real subscription on one node that confirms late. */
    private static final class SlowInstance implements AutoCloseable {

        final String node;
        final AtomicInteger confirmed = new AtomicInteger();
        private final RedisClient client;
        private final StatefulRedisPubSubConnection<String, String> subscription;
        private final StatefulRedisConnection<String, String> commands;
        private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

        SlowInstance(RedisServer server, CacheKeyspace keyspace, Duration delay) {
            node = "127.0.0.1:" + server.port();
            client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
            subscription = client.connectPubSub();
            commands = client.connect();
            JsonMapper json = JsonMapper.builder().build();
            subscription.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    JsonNode change = json.readTree(message);
                    later.schedule(() -> {
                        // Counted before it is sent: A may answer as soon as the confirmation arrives.
                        confirmed.incrementAndGet();
                        commands.sync().publish(keyspace.ackChannel(change.get("from").asString()),
                                change.get("id").asString());
                    }, delay.toMillis(), TimeUnit.MILLISECONDS);
                }
            });
            subscription.sync().subscribe(keyspace.invalidationChannel());
        }

        @Override
        public void close() {
            later.shutdownNow();
            subscription.close();
            commands.close();
            client.shutdown();
        }
    }

    /** Waits until the channel's subscribers on all nodes add up to {@code expected}. */
    private static void awaitSubscribers(String channel, long expected) {
        long deadline = System.currentTimeMillis() + 30_000;
        long total = -1;
        while (System.currentTimeMillis() < deadline) {
            total = cluster.subscribers(channel).stream().mapToLong(Long::longValue).sum();
            if (total == expected) {
                return;
            }
            sleep();
        }
        throw new IllegalStateException(channel + " has " + total + " subscribers, not " + expected);
    }

    private static Instance instance() {
        return cluster.startServer("--spring.datasource.url=" + database,
                // generous on a loaded two-core machine: the assertion is that no confirmation is missing
                "--holdfast.cache.ack-timeout=10s");
    }

    /** The index of the node holding the instance's subscriptions (its ack channel is its own). */
    private static int subscriptionNode(Instance server) {
        String channel = server.bean(CacheKeyspace.class).ackChannel(server.bean(CacheInvalidation.class).instanceId());
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            List<Long> subscribers = cluster.subscribers(channel);
            for (int i = 0; i < subscribers.size(); i++) {
                if (subscribers.get(i) > 0) {
                    return i;
                }
            }
            sleep();
        }
        throw new IllegalStateException("No node has a subscriber of " + channel);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    private static MeterRegistry metrics(Instance server) {
        return server.bean(MeterRegistry.class);
    }
}
