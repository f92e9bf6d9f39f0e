package io.holdfast.availability;

import io.holdfast.redis.RedisScripts;
import java.time.Duration;
import java.util.List;

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
