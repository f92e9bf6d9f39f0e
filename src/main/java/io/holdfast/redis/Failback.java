package io.holdfast.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves traffic back to Redis once the modules' {@link FailbackStep}s have copied what SQL holds. A Redis lock
 * keeps several instances from copying at once. The copy runs three times: once while SQL still serves (the bulk);
 * once after new calls were stopped at the gate and the calls already on SQL have finished, so nothing can be
 * written to SQL after that pass reads nor to Redis before it has copied; and once after the switch, for calls that
 * waited longer than the gate allows and went to SQL meanwhile.
 */
class Failback {

    private static final Logger log = LoggerFactory.getLogger(Failback.class);
    private static final Duration LOCK_LEASE = Duration.ofMinutes(2);
    private final RedisLock lock;
    private final RedisFirst router;
    private final Runnable restoreSettings;
    private final Timer syncTime;

    /**
     * {@code restoreSettings} sets again what a restarted Redis forgot (its expiry-event flags); it runs before
     * traffic moves back, so nobody sees Redis mode on a server still missing them.
     */
    Failback(RedisLock lock, RedisFirst router, Runnable restoreSettings, MeterRegistry metrics) {
        this.lock = lock;
        this.router = router;
        this.restoreSettings = restoreSettings;
        this.syncTime = Timer.builder("holdfast.storage.failback.sync").description("Time to copy SQL state into Redis")
                .register(metrics);
    }

    /** Copies and switches back to Redis; false when another instance holds the lock (try again later). */
    boolean syncAndSwitch() {
        String nonce = UUID.randomUUID().toString();
        if (!lock.lock("failback", nonce, LOCK_LEASE)) {
            return false;
        }
        try {
            long start = System.nanoTime();
            List<FailbackStep.Copy> copies = new ArrayList<>();
            router.failbackSteps().forEach(step -> copies.add(step.begin()));
            int copied = pass(copies, false);
            restoreSettings.run();
            router.closeGate();
            try {
                router.awaitSqlDrained(Duration.ofSeconds(10));
                copied += pass(copies, true);
                router.failedBack("Redis is healthy again");
            } finally {
                router.openGate();
            }
            copied += pass(copies, true); // calls that waited longer than the gate allows went to SQL meanwhile
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            syncTime.record(took);
            log.info("Failback copied {} items of temporary state into Redis in {} ms", copied, took.toMillis());
            return true;
        } finally {
            lock.unlock("failback", nonce);
        }
    }

    private static int pass(List<FailbackStep.Copy> copies, boolean last) {
        int copied = 0;
        for (FailbackStep.Copy copy : copies) {
            copied += copy.pass(last);
        }
        return copied;
    }
}
