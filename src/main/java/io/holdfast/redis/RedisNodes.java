package io.holdfast.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.lettuce.core.api.async.RedisServerAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.ClusterCommandExecutor;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

/**
 * The Redis servers that hold Holdfast's keys: the one server (standalone, or Sentinel's current master), or every
 * master of a Cluster. Server-wide commands (INFO, CONFIG, SLOWLOG, SCAN) answer for one server only, so anything
 * that must see the whole keyspace or every server's settings goes through here rather than through a
 * cluster connection's merged answers (whose CONFIG GET, for example, prefixes every name with the node).
 */
public final class RedisNodes {

    /** A bound for the one command sent outside Spring's template, which would apply the command timeout. */
    private static final Duration REPLY_WAIT = Duration.ofSeconds(2);

    private RedisNodes() {
    }

    /** One server, as far as INFO, CONFIG, SLOWLOG and SCAN go. */
    public interface Node {

        /** {@code host:port}, or {@code sentinel:<master>} when Sentinel picks the server. */
        String address();

        Properties info();

        /** The parameter's value; empty when the server does not know it. */
        Optional<String> config(String parameter);

        void setConfig(String parameter, String value);

        /** SLOWLOG GET: entries as Redis sends them (nested lists of numbers and byte arrays). */
        List<Object> slowlog(int count);

        Cursor<byte[]> scan(ScanOptions options);
    }

    /** "standalone", "sentinel" or "cluster": how the connection factory reaches Redis. */
    public static String mode(RedisConnectionFactory connections) {
        if (connections instanceof LettuceConnectionFactory lettuce) {
            if (lettuce.isClusterAware()) {
                return "cluster";
            }
            if (lettuce.isRedisSentinelAware()) {
                return "sentinel";
            }
        }
        return "standalone";
    }

    /** Runs {@code action} on every master over one connection; the first failure is passed on. */
    public static <T> List<T> onEveryMaster(RedisConnectionFactory connections, Function<Node, T> action) {
        try (RedisConnection connection = connections.getConnection()) {
            List<T> results = new ArrayList<>();
            if (connection instanceof RedisClusterConnection cluster) {
                for (RedisClusterNode node : cluster.clusterGetNodes()) {
                    // A master marked failed owns no slots that answer; its replica takes over under a new entry.
                    if (node.isMaster() && !node.isMarkedAsFail()) {
                        results.add(action.apply(new ClusterNode(cluster, node)));
                    }
                }
            } else {
                results.add(action.apply(new OneServer(connection, address(connections))));
            }
            return results;
        }
    }

    /** A whole-number field of an INFO answer; null when the server did not send it or sent no number. */
    public static Long infoNumber(Properties info, String field) {
        String value = info.getProperty(field);
        try {
            return value == null ? null : Long.parseLong(value.trim());
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static String address(RedisConnectionFactory connections) {
        if (connections instanceof LettuceConnectionFactory lettuce) {
            if (lettuce.isRedisSentinelAware() && lettuce.getSentinelConfiguration().getMaster() != null) {
                return "sentinel:" + lettuce.getSentinelConfiguration().getMaster().getName();
            }
            return lettuce.getHostName() + ":" + lettuce.getPort();
        }
        return "redis";
    }

    private static Optional<String> value(Properties properties, String parameter) {
        if (properties == null) {
            return Optional.empty();
        }
        for (String name : properties.stringPropertyNames()) {
            // A cluster connection's answers name each value "<host:port>.<parameter>"; a single server's do not.
            if (name.equalsIgnoreCase(parameter) || name.toLowerCase(Locale.ROOT).endsWith("." + parameter)) {
                return Optional.ofNullable(properties.getProperty(name));
            }
        }
        return Optional.empty();
    }

    private record OneServer(RedisConnection connection, String address) implements Node {

        @Override
        public Properties info() {
            return connection.serverCommands().info();
        }

        @Override
        public Optional<String> config(String parameter) {
            return value(connection.serverCommands().getConfig(parameter), parameter);
        }

        @Override
        public void setConfig(String parameter, String value) {
            connection.serverCommands().setConfig(parameter, value);
        }

        /** Through Lettuce itself: Spring's generic {@code execute} cannot decode SLOWLOG's nested replies. */
        @Override
        @SuppressWarnings("unchecked")
        public List<Object> slowlog(int count) {
            var commands = (RedisServerAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
            try {
                return commands.slowlogGet(count).toCompletableFuture().get(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new RedisSystemException("Interrupted while waiting for SLOWLOG", interrupted);
            } catch (ExecutionException failed) {
                throw new RedisSystemException("SLOWLOG failed: " + failed.getCause().getMessage(), failed.getCause());
            } catch (TimeoutException slow) {
                throw new QueryTimeoutException("SLOWLOG did not answer in " + REPLY_WAIT, slow);
            }
        }

        @Override
        public Cursor<byte[]> scan(ScanOptions options) {
            return connection.keyCommands().scan(options);
        }
    }

    private record ClusterNode(RedisClusterConnection cluster, RedisClusterNode node) implements Node {

        @Override
        public String address() {
            return node.getHost() + ":" + node.getPort();
        }

        @Override
        public Properties info() {
            return cluster.serverCommands().info(node);
        }

        @Override
        public Optional<String> config(String parameter) {
            return value(cluster.serverCommands().getConfig(node, parameter), parameter);
        }

        @Override
        public void setConfig(String parameter, String value) {
            cluster.serverCommands().setConfig(node, parameter, value);
        }

        @Override
        public List<Object> slowlog(int count) {
            if (!(cluster instanceof LettuceClusterConnection lettuce)) {
                return List.of();
            }
            return lettuce.getClusterCommandExecutor().executeCommandOnSingleNode(
                    (ClusterCommandExecutor.ClusterCommandCallback<RedisClusterCommands<byte[], byte[]>, List<Object>>) commands ->
                            commands.slowlogGet(count), node).getValue();
        }

        @Override
        public Cursor<byte[]> scan(ScanOptions options) {
            return cluster.scan(node, options);
        }
    }
}
