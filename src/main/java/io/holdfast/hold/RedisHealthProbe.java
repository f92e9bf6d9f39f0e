package io.holdfast.hold;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Every second writes a health key (5 s TTL) and reads it back (seed: "health check with write verification").
 * A failure switches to SQL even when no request has hit Redis yet; two successes in a row while in SQL mode
 * start the failback.
 */
public class RedisHealthProbe {

    private static final Logger log = LoggerFactory.getLogger(RedisHealthProbe.class);

    private final RedisTemporaryStore redis;
    private final FailoverTemporaryStore router;
    private final FailbackSync failback;
    private final String instanceId = UUID.randomUUID().toString().substring(0, 8);
    private int healthyInARow;
    private int failedInARow;
    private volatile boolean lastCheckHealthy = true;

    public RedisHealthProbe(RedisTemporaryStore redis, FailoverTemporaryStore router, FailbackSync failback) {
        this.redis = redis;
        this.router = router;
        this.failback = failback;
    }

    @Scheduled(fixedDelayString = "${holdfast.redis.probe-interval:1s}")
    public synchronized void probe() {
        boolean healthy;
        try {
            healthy = redis.writeAndReadBack(instanceId);
            if (healthy) {
                redis.calibrateClock();
            }
        } catch (RuntimeException unreachable) {
            healthy = false;
        }
        lastCheckHealthy = healthy;
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
                log.warn("Failback sync failed; staying on SQL and retrying", interrupted);
            }
        }
    }

    /** Whether the last probe reached Redis. */
    public boolean redisReachable() {
        return lastCheckHealthy;
    }
}
