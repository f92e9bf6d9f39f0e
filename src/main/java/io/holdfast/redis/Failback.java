package io.holdfast.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves traffic back to Redis once the modules' {@link FailbackStep}s have copied what SQL holds. A Redis lock
 * keeps several instances from copying at once. Its lease is short (seconds: a lock left behind by an instance that
 * died, or that could not release it because Redis was slow or a node was down, must not keep every instance on SQL
 * for long) and renewed while the copy runs, however long that takes; a failback that cannot renew it stops, before
 * the switch if it has not switched yet, rather than copy on without it. The copy runs three times: once while SQL still serves (the bulk);
 * once after new calls were stopped at the gate and the calls already on SQL have finished, so nothing can be
 * written to SQL after that pass reads nor to Redis before it has copied; and once after the switch, for calls that
 * waited longer than the gate allows and went to SQL meanwhile. Only that last pass lets SQL forget what was copied:
 * the gated pass copies only what changed since the bulk, so the pause a caller can see is short (deleting 10,000
 * copied holds took 110 to 510 ms of it).
 */
class Failback {

    private static final Logger log = LoggerFactory.getLogger(Failback.class);
    private final RedisLock lock;
    private final Duration lockLease;
    private final RedisFirst router;
    private final Runnable restoreSettings;
    private final Timer syncTime;

    /**
     * {@code restoreSettings} sets again what a restarted Redis forgot (its expiry-event flags); it runs before
     * traffic moves back, so nobody sees Redis mode on a server still missing them.
     */
    Failback(RedisLock lock, Duration lockLease, RedisFirst router, Runnable restoreSettings, MeterRegistry metrics) {
        this.lock = lock;
        this.lockLease = lockLease;
        this.router = router;
        this.restoreSettings = restoreSettings;
        this.syncTime = Timer.builder("holdfast.storage.failback.sync").description("Time to copy SQL state into Redis")
                .register(metrics);
    }

    /**
     * Copies and switches back to Redis; false when another instance holds the lock (try again later).
     *
     * @throws RedisLock.LockLost when the lock could not be renewed in time; the failback stopped (before the switch
     *                            unless it had switched already) and the next probe tries again
     */
    boolean syncAndSwitch() {
        Optional<RedisLock.Lease> held = lock.acquire("failback", lockLease);
        if (held.isEmpty()) {
            return false;
        }
        try (RedisLock.Lease lease = held.get()) {
            try {
                return syncAndSwitch(lease);
            } catch (RuntimeException failed) {
                if (lease.lost() && !(failed instanceof RedisLock.LockLost)) {
                    // The watchdog interrupted a pass: say why it stopped, not only how.
                    throw new RedisLock.LockLost("Failback stopped: it lost its lock", failed);
                }
                throw failed;
            }
        }
    }

    private boolean syncAndSwitch(RedisLock.Lease lease) {
        long start = System.nanoTime();
        List<FailbackStep.Copy> copies = new ArrayList<>();
        router.failbackSteps().forEach(step -> copies.add(step.begin()));
        int copied = pass(copies, false);
        lease.check();
        restoreSettings.run();
        router.closeGate();
        try {
            router.awaitSqlDrained(Duration.ofSeconds(10));
            lease.check();
            copied += pass(copies, false);
            // The last look before the switch: with the lock lost, another instance may be copying now.
            lease.check();
            router.failedBack("Redis is healthy again");
        } finally {
            router.openGate();
        }
        lease.check();
        copied += pass(copies, true); // calls that waited longer than the gate allows went to SQL meanwhile; SQL forgets
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        syncTime.record(took);
        log.info("Failback copied {} items of temporary state into Redis in {} ms", copied, took.toMillis());
        return true;
    }

    private static int pass(List<FailbackStep.Copy> copies, boolean last) {
        int copied = 0;
        for (FailbackStep.Copy copy : copies) {
            copied += copy.pass(last);
        }
        return copied;
    }
}
