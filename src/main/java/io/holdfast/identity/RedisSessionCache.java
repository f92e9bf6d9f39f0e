package io.holdfast.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Sessions cached in Redis: {@code hf:session:<token hash>} = {@code s|<expires ms>|<email>}, or {@code revoked}
 * for a session ended before its time. A revocation overwrites the entry while a cache fill only adds one that is
 * absent ({@code SET NX}), so a fill racing with a logout can never bring the session back.
 */
/* Exists on every server (connecting on first use); RedisFirst calls it only while a configured Redis serves. */
@org.springframework.stereotype.Component
class RedisSessionCache {

    private static final String REVOKED = "revoked";

    private final StringRedisTemplate redis;

    RedisSessionCache(StringRedisTemplate redis) {
        this.redis = redis;
    }

    sealed interface Entry {
    }

    record Hit(GuestSession session) implements Entry {
    }

    record Revoked() implements Entry {
    }

    record Miss() implements Entry {
    }

    static String key(String tokenHash) {
        return "hf:session:" + tokenHash;
    }

    Entry get(String tokenHash) {
        String value = redis.opsForValue().get(key(tokenHash));
        if (value == null) {
            return new Miss();
        }
        if (value.equals(REVOKED)) {
            return new Revoked();
        }
        String[] parts = value.split("\\|", 3);
        if (parts.length != 3 || !parts[0].equals("s")) {
            return new Miss();
        }
        return new Hit(new GuestSession(parts[2], Instant.ofEpochMilli(Long.parseLong(parts[1]))));
    }

    /** Caches a new session, or one read from SQL; never over a revocation. */
    void fill(String tokenHash, GuestSession session, Instant now) {
        long ttl = Duration.between(now, session.expiresAt()).toMillis();
        if (ttl > 0) {
            redis.opsForValue().setIfAbsent(key(tokenHash), "s|" + session.expiresAt().toEpochMilli() + "|"
                    + session.email(), ttl, TimeUnit.MILLISECONDS);
        }
    }

    /** Marks a session revoked for as long as it could otherwise have lived. */
    void revoke(String tokenHash, Duration remaining) {
        redis.opsForValue().set(key(tokenHash), REVOKED, Math.max(1, remaining.toMillis()), TimeUnit.MILLISECONDS);
    }
}
