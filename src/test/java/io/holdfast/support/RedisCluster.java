package io.holdfast.support;

import java.util.ArrayList;
import java.util.List;

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
