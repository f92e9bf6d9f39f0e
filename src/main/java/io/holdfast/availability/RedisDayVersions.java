package io.holdfast.availability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;

import io.holdfast.redis.RedisScripts;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/** The Redis half of {@link DayVersions}: one key per version, hash-tagged with the staff member. */
@Component
class RedisDayVersions {

    private static final RedisScript<List> BUMP = RedisScripts.load(List.class, "version-raise", "version-bump");
    private static final RedisScript<List> BUMP_AND_PUBLISH =
            RedisScripts.load(List.class, "version-raise", "version-bump-publish");
    /** Longer than the longest booking window: a day's version outlives every view of it. */
    private static final Duration TTL = Duration.ofDays(800);

    private final StringRedisTemplate redis;

    RedisDayVersions(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** The highest of the versions under these keys; 0 when none is set. */
    long highest(List<String> keys) {
        return highestOf(redis.opsForValue().multiGet(keys));
    }

    /**
     * Reads the highest of the versions under these keys (one staff member's) without waiting for Redis: {@code read}
     * gets it on Lettuce's thread when Redis answers, {@code done} runs after that or after a failure (which is
     * otherwise dropped: whoever needs the version reads it again).
     */
    void readLater(List<String> keys, LongConsumer read, Runnable done) {
        byte[][] raw = keys.stream().map(key -> key.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        redis.execute((RedisCallback<Void>) connection -> {
            @SuppressWarnings("unchecked")
            var async = (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
            async.mget(raw).whenComplete((values, failure) -> {
                try {
                    if (failure == null) {
                        read.accept(highestOf(values.stream().map(value -> value.hasValue()
                                ? new String(value.getValue(), StandardCharsets.UTF_8) : null).toList()));
                    }
                } finally {
                    done.run();
                }
            });
            return null;
        });
    }

    /** The highest of version values as Redis answers them (null where a key is not set); 0 when none is set. */
    static long highestOf(List<String> values) {
        long highest = 0;
        for (String value : values == null ? List.<String>of() : values) {
            if (value != null) {
                highest = Math.max(highest, Long.parseLong(value));
            }
        }
        return highest;
    }

    /** KEYS: the version to raise, then optionally the schedule version it must exceed. */
    Versions bump(long atLeast, String... keys) {
        return versions(redis.execute(BUMP, List.of(keys), String.valueOf(atLeast), String.valueOf(TTL.toMillis())));
    }

    /** {@link #bump}, and {@code message} published with the versions in it, by the same script. */
    Versions bumpAndPublish(long atLeast, VersionMessage message, String... keys) {
        return versions(redis.execute(BUMP_AND_PUBLISH, List.of(keys), String.valueOf(atLeast),
                String.valueOf(TTL.toMillis()), message.channel(), message.head(), message.middle(), message.tail()));
    }

    private static Versions versions(List<?> result) {
        return new Versions(((Number) result.get(0)).longValue(), ((Number) result.get(1)).longValue());
    }
}
