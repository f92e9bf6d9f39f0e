package io.holdfast.cache;

import io.holdfast.redis.RedisNodes;
import io.holdfast.redis.RedisScripts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.cluster.api.async.AsyncExecutions;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.DataType;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The shared level: entries in Redis stamped with the versions of their tags. A read is one MGET of the entry, its
 * load lock and its tags; an entry whose stamp differs from the tags' current versions is treated as absent. Every
 * method throws Spring's or Lettuce's exceptions when Redis fails; {@link RedisCacheGate} decides what follows.
 */
@org.springframework.stereotype.Component
class RedisCacheLevel {

    private static final Logger log = LoggerFactory.getLogger(RedisCacheLevel.class);

    static final String ABSENT = "-";
    private static final int SCAN_BATCH = 500;

    private final StringRedisTemplate redis;
    private final RedisScript<Long> put = script("scripts/cache-put.lua");
    private final RedisScript<Long> invalidate = RedisScripts.load(Long.class, "cache-tags", "cache-invalidate");
    private final RedisScript<Long> invalidateAndPublish =
            RedisScripts.load(Long.class, "cache-tags", "cache-invalidate-publish");
    private final RedisScript<Long> unlock = script("scripts/lock-release.lua");
    /** MEMORY USAGE in bytes, or -1 where the server refuses it (older or restricted servers). */
    private final RedisScript<Long> memoryUsage = RedisScripts.of(
            "local ok, n = pcall(redis.call, 'MEMORY', 'USAGE', KEYS[1]) if ok and n then return n end return -1",
            Long.class);

    /** One server (standalone, Sentinel's master): one script may touch keys of any hash tag. */
    private final boolean oneServer;

    RedisCacheLevel(StringRedisTemplate redis) {
        this.redis = redis;
        this.oneServer = redis.getConnectionFactory() == null
                || !RedisNodes.mode(redis.getConnectionFactory()).equals("cluster");
    }

    /** What Redis holds for a key: the entry's JSON if it is current, the tag versions to stamp a new load with. */
    record Read(String json, List<String> tagVersions, boolean locked) {
    }

    Read read(EntryKey key) {
        List<String> keys = new ArrayList<>(key.tags().size() + 2);
        keys.add(key.redisKey());
        keys.add(key.lockKey());
        keys.addAll(key.tags());
        List<String> values = redis.opsForValue().multiGet(keys);
        if (values == null) {
            values = java.util.Collections.nCopies(keys.size(), null);
        }
        List<String> versions = new ArrayList<>(key.tags().size());
        for (int i = 2; i < values.size(); i++) {
            versions.add(values.get(i) == null ? ABSENT : values.get(i));
        }
        String payload = values.get(0);
        String json = null;
        if (payload != null) {
            int newline = payload.indexOf('\n');
            if (newline > 0 && payload.substring(0, newline).equals(String.join(" ", versions))) {
                json = payload.substring(newline + 1);
            }
        }
        return new Read(json, versions, values.get(1) != null);
    }

    boolean tryLock(EntryKey key, String nonce, Duration lease) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(key.lockKey(), nonce, lease));
    }

    void unlink(String key) {
        redis.unlink(key);
    }

    /** Gives up a load lock after a failed load, so that the instances waiting for it load at once. */
    void unlock(EntryKey key, String nonce) {
        redis.execute(unlock, List.of(key.lockKey()), nonce);
    }

    /** Writes the entry if its tags still have the versions read before the load; releases the lock if held. */
    boolean put(EntryKey key, List<String> versions, String json, Duration ttl, String nonce) {
        List<String> keys = new ArrayList<>(key.tags().size() + 2);
        keys.add(key.redisKey());
        keys.add(key.lockKey());
        keys.addAll(key.tags());
        Object[] args = new Object[3 + versions.size()];
        args[0] = String.valueOf(ttl.toMillis());
        args[1] = String.join(" ", versions) + "\n" + json;
        args[2] = nonce == null ? "" : nonce;
        for (int i = 0; i < versions.size(); i++) {
            args[3 + i] = versions.get(i);
        }
        Long written = redis.execute(put, keys, args);
        return written != null && written == 1;
    }

    /**
     * Gives the tags a new version and drops the listed entries, one script per hash tag (Redis Cluster slot).
     */
    void invalidate(List<String> tags, List<String> entries, Duration tagTtl) {
        String version = newVersion();
        Map<String, List<String>> tagsBySlot = new LinkedHashMap<>();
        Map<String, List<String>> entriesBySlot = new LinkedHashMap<>();
        tags.forEach(tag -> tagsBySlot.computeIfAbsent(hashTag(tag), slot -> new ArrayList<>()).add(tag));
        entries.forEach(entry -> entriesBySlot.computeIfAbsent(hashTag(entry), slot -> new ArrayList<>()).add(entry));
        for (Map.Entry<String, List<String>> slot : tagsBySlot.entrySet()) {
            List<String> keys = new ArrayList<>(slot.getValue());
            keys.addAll(entriesBySlot.getOrDefault(slot.getKey(), List.of()));
            redis.execute(invalidate, keys, String.valueOf(slot.getValue().size()), version,
                    String.valueOf(tagTtl.toMillis()));
        }
    }

    /**
     * {@link #invalidate} of the tags, then {@link #publishToAll} of the message: on one server both in one script,
     * one round trip; on a Cluster a script per slot, then the publish. Returns what {@link #publishToAll} does.
     */
    long invalidateAndPublish(List<String> tags, Duration tagTtl, String channel, String message, Duration wait) {
        if (!oneServer) {
            invalidate(tags, List.of(), tagTtl);
            return publishToAll(channel, message, wait);
        }
        Long receivers = redis.execute(invalidateAndPublish, tags, String.valueOf(tags.size()), newVersion(),
                String.valueOf(tagTtl.toMillis()), channel, message);
        return receivers == null ? 0 : receivers;
    }

    private static String newVersion() {
        return UUID.randomUUID().toString().substring(0, 13);
    }

    /** Number of subscribers that received the message on the node that took it (see {@link #publishToAll}). */
    long publish(String channel, String message) {
        Long receivers = redis.convertAndSend(channel, message);
        return receivers == null ? 0 : receivers;
    }

    /**
     * Publishes a message and returns how many subscribers it reaches in the whole deployment, or -1 when that is
     * not known within {@code wait} (a Cluster node did not answer).
     *
     * <p>PUBLISH's reply counts the subscribers of the node that took the command. With one server (standalone, or
     * Sentinel's master) that is everyone. On a Cluster every node forwards the message to its own subscribers over
     * the cluster bus, but the reply still counts only the local ones, and Lettuce opens each client's subscription
     * connection on whichever node, master or replica, had the fewest clients at its last topology refresh. So on a
     * Cluster the count is PUBSUB NUMSUB (also node-local) asked of every node Lettuce knows and not marked failed,
     * summed. Asked before the PUBLISH, in parallel: an instance that subscribes in between gets the message and
     * confirms once more than counted (harmless), one that leaves in between is counted and never confirms, so the
     * wait runs to its timeout: the count errs towards waiting, never towards ending early. A node marked failed is
     * skipped (the message cannot reach its subscribers anyway); a node that does not answer makes the count
     * unknown, and the caller then waits its whole timeout. Instances announcing themselves under keys with a TTL
     * would need a refresher and would count instances whose subscription is down; NUMSUB counts exactly the
     * connections the message goes to, as PUBLISH does on one server.
     */
    long publishToAll(String channel, String message, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        // Lettuce's own exceptions (from the native cluster commands) leave as Spring's, like every other call here.
        return redis.execute((RedisCallback<Long>) connection -> {
            try {
                return publishAndCount(connection, channel, name, body, wait, deadline);
            } catch (io.lettuce.core.RedisException failed) {
                throw new org.springframework.data.redis.RedisSystemException(failed.getMessage(), failed);
            }
        });
    }

    private static long publishAndCount(org.springframework.data.redis.connection.RedisConnection connection,
            String channel, byte[] name, byte[] body, Duration wait, long deadline) {
        if (!(connection.getNativeConnection() instanceof RedisAdvancedClusterAsyncCommands<?, ?> nodes)) {
            Long receivers = connection.publish(name, body);
            return receivers == null ? 0L : receivers;
        }
        @SuppressWarnings("unchecked")
        var cluster = (RedisAdvancedClusterAsyncCommands<byte[], byte[]>) nodes;
        AsyncExecutions<Map<byte[], Long>> counts = cluster
                .nodes(node -> !node.is(NodeFlag.FAIL)).commands().pubsubNumsub(name);
        connection.publish(name, body);
        long receivers = 0;
        for (CompletableFuture<Map<byte[], Long>> count : counts.futures()) {
            try {
                Map<byte[], Long> subscribers = count.get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                receivers += subscribers.values().stream().mapToLong(Long::longValue).sum();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return -1L;
            } catch (ExecutionException | TimeoutException unknown) {
                log.debug("Cache: subscribers of {} not counted on every Cluster node in {}", channel, wait,
                        unknown);
                return -1L;
            }
        }
        return receivers;
    }

    /**
     * Removes the keys matching a glob with SCAN and UNLINK in batches (never KEYS, which blocks the server), on every
     * master of a cluster. Tag keys are kept.
     */
    long unlinkMatching(String glob) {
        return redis.execute((RedisCallback<Long>) connection -> {
            long removed = 0;
            if (connection instanceof RedisClusterConnection cluster) {
                for (RedisClusterNode node : cluster.clusterGetNodes()) {
                    if (node.isMaster()) {
                        try (Cursor<byte[]> cursor = cluster.scan(node, options(glob))) {
                            removed += unlinkAll(cursor, batch -> cluster.keyCommands().unlink(batch));
                        }
                    }
                }
                return removed;
            }
            try (Cursor<byte[]> cursor = connection.keyCommands().scan(options(glob))) {
                return unlinkAll(cursor, batch -> connection.keyCommands().unlink(batch));
            }
        });
    }

    private static long unlinkAll(Cursor<byte[]> cursor, java.util.function.Function<byte[][], Long> unlink) {
        long removed = 0;
        List<byte[]> batch = new ArrayList<>(SCAN_BATCH);
        while (cursor.hasNext()) {
            byte[] key = cursor.next();
            if (!CacheKeyspace.isTag(new String(key, StandardCharsets.UTF_8))) {
                batch.add(key);
            }
            if (batch.size() == SCAN_BATCH) {
                Long n = unlink.apply(batch.toArray(byte[][]::new));
                removed += n == null ? 0 : n;
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            Long n = unlink.apply(batch.toArray(byte[][]::new));
            removed += n == null ? 0 : n;
        }
        return removed;
    }

    /** Counts the keys matching a glob (SCAN, stops at {@code limit}). */
    long count(String glob, long limit) {
        return redis.execute((RedisCallback<Long>) connection -> {
            long count = 0;
            if (connection instanceof RedisClusterConnection cluster) {
                for (RedisClusterNode node : cluster.clusterGetNodes()) {
                    if (node.isMaster()) {
                        try (Cursor<byte[]> cursor = cluster.scan(node, options(glob))) {
                            while (cursor.hasNext() && count < limit) {
                                cursor.next();
                                count++;
                            }
                        }
                    }
                }
                return count;
            }
            try (Cursor<byte[]> cursor = connection.keyCommands().scan(options(glob))) {
                while (cursor.hasNext() && count < limit) {
                    cursor.next();
                    count++;
                }
            }
            return count;
        });
    }

    private static ScanOptions options(String glob) {
        return ScanOptions.scanOptions().match(glob).count(SCAN_BATCH).build();
    }

    /** What the debug endpoint shows of one key; empty type "none" when it does not exist. */
    record KeyInfo(String type, long ttlMillis, Long sizeBytes, String value) {
    }

    KeyInfo inspect(String key) {
        DataType type = redis.type(key);
        if (type == null || type == DataType.NONE) {
            return new KeyInfo("none", -2, null, null);
        }
        Long ttl = redis.getExpire(key, java.util.concurrent.TimeUnit.MILLISECONDS);
        Long size = redis.execute(memoryUsage, List.of(key));
        if (size != null && size < 0) {
            size = null;
        }
        String value = type == DataType.STRING ? redis.opsForValue().get(key) : null;
        return new KeyInfo(type.code(), ttl == null ? -2 : ttl, size, value);
    }

    /** Selected fields of INFO memory and stats. */
    Properties info() {
        Properties merged = new Properties();
        redis.execute((RedisCallback<Void>) connection -> {
            Properties memory = connection.serverCommands().info("memory");
            Properties stats = connection.serverCommands().info("stats");
            if (memory != null) {
                merged.putAll(memory);
            }
            if (stats != null) {
                merged.putAll(stats);
            }
            return null;
        });
        return merged;
    }

    static String hashTag(String key) {
        int open = key.indexOf('{');
        int close = open < 0 ? -1 : key.indexOf('}', open + 1);
        return close > open + 1 ? key.substring(open + 1, close) : key;
    }

    private static RedisScript<Long> script(String path) {
        return RedisScripts.load(path.substring("scripts/".length(), path.length() - ".lua".length()), Long.class);
    }
}
