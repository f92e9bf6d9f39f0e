package io.holdfast.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A three-master Redis Cluster of private {@link RedisServer} nodes on loopback, created with
 * {@code redis-cli --cluster create}. It is ready only when every node reports {@code cluster_state:ok}: a client
 * that reaches a node which has not yet learnt the slot map gets CLUSTERDOWN.
 */
public final class RedisCluster implements AutoCloseable {

    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster() {
    }

    public static RedisCluster start() {
        RedisCluster cluster = new RedisCluster();
        try {
            for (int i = 0; i < 3; i++) {
                cluster.nodes.add(RedisServer.startClusterNode());
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            create.addAll(cluster.addresses());
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            String output = RedisServer.run(create);
            if (!output.contains("All 16384 slots covered")) {
                throw new IllegalStateException("Cluster creation failed:\n" + output);
            }
            cluster.awaitEveryNodeOk();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** host:port of every node, for Lettuce's seed list or {@code spring.data.redis.cluster.nodes}. */
    public List<String> addresses() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).toList();
    }

    /** The nodes themselves, to ask one of them (PUBSUB NUMSUB, CLIENT LIST answer for one node only). */
    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /**
     * A whole Holdfast server on this cluster, with start-up cache warming off and an in-memory H2 database of its
     * own unless the properties name one (instances that must share a database name the same one).
     */
    public Instance startServer(String... properties) {
        List<String> args = new ArrayList<>(List.of("--spring.data.redis.cluster.nodes=" + String.join(",", addresses()),
                "--holdfast.cache.warm-on-start=false"));
        if (Arrays.stream(properties).noneMatch(property -> property.startsWith("--spring.datasource.url="))) {
            args.add("--spring.datasource.url=jdbc:h2:mem:cluster-" + UUID.randomUUID()
                    + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        }
        args.addAll(List.of(properties));
        return Instance.start(args.toArray(String[]::new));
    }

    /** The addresses of the nodes that hold a key matching the pattern. */
    public Set<String> nodesHolding(String pattern) {
        Set<String> holding = new LinkedHashSet<>();
        for (RedisServer node : nodes) {
            if (!node.cli("--scan", "--pattern", pattern).isBlank()) {
                holding.add("127.0.0.1:" + node.port());
            }
        }
        return holding;
    }

    /** PUBSUB NUMSUB of the channel on each node, in the order of {@link #nodes()} (the count is node-local). */
    public List<Long> subscribers(String channel) {
        return nodes.stream().map(node -> {
            String[] reply = node.cli("PUBSUB", "NUMSUB", channel).split("\n");
            return reply.length == 2 ? Long.parseLong(reply[1].trim()) : 0L;
        }).toList();
    }

    /** Every key matching the pattern, on every master (SCAN through redis-cli). */
    public List<String> scan(String pattern) {
        return nodes.stream().flatMap(node -> node.cli("--scan", "--pattern", pattern).lines())
                .filter(key -> !key.isBlank()).toList();
    }

    private void awaitEveryNodeOk() {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!nodes.stream().allMatch(node -> node.cli("CLUSTER", "INFO").contains("cluster_state:ok"))) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("Cluster did not reach state ok on every node");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
