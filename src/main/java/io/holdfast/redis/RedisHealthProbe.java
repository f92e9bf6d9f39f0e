package io.holdfast.redis;

import java.time.Duration;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Every second writes a health key (5 s TTL) and reads it back (seed: "health check with write verification").
 * A failure switches to SQL even when no request has hit Redis yet; two successes in a row while in SQL mode
 * start the failback.
 */
class RedisHealthProbe {

    private static final Logger log = LoggerFactory.getLogger(RedisHealthProbe.class);

    private final StringRedisTemplate redis;
    private final RedisFirst router;
    private final Failback failback;
    private final String key = "hf:health:" + UUID.randomUUID().toString().substring(0, 8);
    private int healthyInARow;
    private int failedInARow;

    RedisHealthProbe(StringRedisTemplate redis, RedisFirst router, Failback failback) {
        this.redis = redis;
        this.router = router;
        this.failback = failback;
    }

    synchronized void probe() {
        boolean healthy;
        try {
            healthy = writeAndReadBack();
        } catch (RuntimeException unreachable) {
            healthy = false;
        }
        router.probed(healthy);
        if (!healthy) {
            healthyInARow = 0;
            // Two misses in a row: one slow probe on a busy machine is no reason to move every request to SQL
            // (a request that itself fails or times out still fails over at once).
            if (++failedInARow >= 2) {
                router.failedOver("health probe could not write and read back its key");
            }
            return;
        }
        failedInARow = 0;
        healthyInARow++;
        if (router.mode() == StorageMode.SQL && healthyInARow >= 2) {
            try {
                failback.syncAndSwitch();
            } catch (RuntimeException interrupted) {
                if (router.mode() == StorageMode.SQL) {
                    log.warn("Failback sync failed; staying on SQL and retrying", interrupted);
                } else {
                    log.warn("Failback stopped after the switch back to Redis; its last copy is incomplete",
                            interrupted);
                }
            }
        }
    }

    /** The seeds' health check with write verification: write a short-lived key and read it back. */
    private boolean writeAndReadBack() {
        String value = String.valueOf(System.nanoTime());
        redis.opsForValue().set(key, value, Duration.ofSeconds(5));
        return value.equals(redis.opsForValue().get(key));
    }
}
