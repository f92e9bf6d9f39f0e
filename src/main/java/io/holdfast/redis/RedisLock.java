package io.holdfast.redis;

import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/** A named lock with a lease: one owner at a time, and only its owner (by nonce) releases it. */
class RedisLock {

    private static final RedisScript<Long> UNLOCK = RedisScripts.load("lock-release", Long.class);

    private final StringRedisTemplate redis;

    RedisLock(StringRedisTemplate redis) {
        this.redis = redis;
    }

    boolean lock(String name, String nonce, Duration lease) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent("hf:lock:" + name, nonce, lease));
    }

    void unlock(String name, String nonce) {
        redis.execute(UNLOCK, List.of("hf:lock:" + name), nonce);
    }
}
