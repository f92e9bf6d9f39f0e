package io.holdfast.redis;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A named lock with a lease: one owner at a time, and only its owner (by nonce) renews or releases it. The lease is
 * short, so that a lock whose owner died, or could not release it because Redis was slow or a node was down, lapses
 * within seconds; an owner that works longer keeps it by {@link #acquire acquiring} a {@link Lease}, which renews it
 * while the work runs and stops the work when it can no longer.
 */
class RedisLock {

    private static final Logger log = LoggerFactory.getLogger(RedisLock.class);
    private static final RedisScript<Long> UNLOCK = RedisScripts.load("lock-release", Long.class);
    private static final RedisScript<Long> RENEW = RedisScripts.load("lock-renew", Long.class);
    private static final int UNLOCK_ATTEMPTS = 3;

    private final StringRedisTemplate redis;

    RedisLock(StringRedisTemplate redis) {
        this.redis = redis;
    }

    boolean lock(String name, String nonce, Duration lease) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(key(name), nonce, lease));
    }

    /** Extends the lease of a lock still held by {@code nonce}; false when it lapsed or has another owner now. */
    boolean renew(String name, String nonce, Duration lease) {
        return Long.valueOf(1).equals(redis.execute(RENEW, List.of(key(name)), nonce,
                String.valueOf(lease.toMillis())));
    }

    /** Releases the lock if {@code nonce} holds it; false when it was not (or no longer) held by it. */
    boolean unlock(String name, String nonce) {
        return Long.valueOf(1).equals(redis.execute(UNLOCK, List.of(key(name)), nonce));
    }

    /**
     * Takes the lock for work done on the calling thread, and renews it every third of {@code lease} until the
     * lease is closed; empty when another owner holds it. Close it on the thread that acquired it.
     */
    Optional<Lease> acquire(String name, Duration lease) {
        String nonce = UUID.randomUUID().toString();
        long sent = System.nanoTime();
        if (!lock(name, nonce, lease)) {
            return Optional.empty();
        }
        return Optional.of(new Lease(name, nonce, lease, sent));
    }

    private static String key(String name) {
        return "hf:lock:" + name;
    }

    /** The lock could not be renewed in time: it may have lapsed, and another owner may hold it now. */
    static final class LockLost extends IllegalStateException {

        LockLost(String message) {
            super(message);
        }

        LockLost(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A held lock, renewed by a watchdog thread while its owner works. It counts as lost once a renewal finds the
     * lock gone or taken, and also once no renewal has succeeded for two thirds of the lease: the key then has at
     * most a third of its lease left (counted from when the last good renewal was sent, so Redis's own clock can
     * only be later), and the owner must stop before it lapses and another instance takes it. Losing it interrupts
     * the owner's thread, so that work blocked in a long step stops there instead of at its next {@link #check}.
     *
     * <p>No lease can fence a process that stalls (a long GC pause) between a {@code check} and its next write;
     * the renewal and the checks keep that window to well under the lease.
     */
    final class Lease implements AutoCloseable {

        private final String name;
        private final String nonce;
        private final Duration lease;
        private final long renewedWithinNanos;
        private final ScheduledExecutorService watchdog;
        private volatile long confirmedAt;
        private volatile String lost;
        private Thread owner = Thread.currentThread();
        private boolean interruptedOwner;

        private Lease(String name, String nonce, Duration lease, long confirmedAt) {
            this.name = name;
            this.nonce = nonce;
            this.lease = lease;
            this.renewedWithinNanos = lease.toNanos() * 2 / 3;
            this.confirmedAt = confirmedAt;
            this.watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "holdfast-lock-" + name);
                thread.setDaemon(true);
                return thread;
            });
            long every = Math.max(1, lease.toMillis() / 3);
            watchdog.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        }

        /** Throws {@link LockLost} unless the lock is still held with time to spare. */
        void check() {
            String reason = lost;
            if (reason == null && System.nanoTime() - confirmedAt > renewedWithinNanos) {
                reason = "not renewed for " + Duration.ofNanos(System.nanoTime() - confirmedAt).toMillis()
                        + " ms of its " + lease.toMillis() + " ms lease";
                lose(reason);
            }
            if (reason != null) {
                throw new LockLost("Lock " + name + " lost: " + reason);
            }
        }

        /** Whether the lock was found lost (by the watchdog or by {@link #check}). */
        boolean lost() {
            return lost != null;
        }

        private void renew() {
            if (lost != null) {
                return;
            }
            long sent = System.nanoTime();
            try {
                if (RedisLock.this.renew(name, nonce, lease)) {
                    confirmedAt = sent;
                    return;
                }
                lose("it lapsed or another owner took it");
                return;
            } catch (RuntimeException unreachable) {
                // The next renewal tries again while the lease has time left; past that, the lock counts as lost.
                log.debug("Renewing lock {} failed", name, unreachable);
            }
            if (System.nanoTime() - confirmedAt > renewedWithinNanos) {
                lose("Redis did not confirm a renewal for " + Duration.ofNanos(System.nanoTime() - confirmedAt)
                        .toMillis() + " ms of its " + lease.toMillis() + " ms lease");
            }
        }

        private synchronized void lose(String reason) {
            if (lost != null) {
                return;
            }
            lost = reason;
            log.warn("Lock {} lost ({}); its owner stops", name, reason);
            if (owner != null) {
                interruptedOwner = true;
                owner.interrupt();
            }
        }

        /**
         * Stops renewing and releases the lock, retrying a failed release a few times; a lock that still cannot be
         * released lapses within its lease.
         */
        @Override
        public void close() {
            synchronized (this) {
                owner = null;
                if (interruptedOwner) {
                    // Our own interrupt, not the caller's: it must not leak into the thread's next task, nor make
                    // the release below fail at once.
                    Thread.interrupted();
                }
            }
            watchdog.shutdownNow();
            for (int attempt = 1; attempt <= UNLOCK_ATTEMPTS; attempt++) {
                try {
                    unlock(name, nonce);
                    return;
                } catch (RuntimeException unreachable) {
                    if (attempt == UNLOCK_ATTEMPTS) {
                        log.warn("Could not release lock {} ({}); it lapses within {} ms", name,
                                unreachable.getMessage(), lease.toMillis());
                        return;
                    }
                    try {
                        Thread.sleep(50L * attempt);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        log.warn("Lock {} left to lapse within {} ms: interrupted while releasing it", name,
                                lease.toMillis());
                        return;
                    }
                }
            }
        }
    }
}
