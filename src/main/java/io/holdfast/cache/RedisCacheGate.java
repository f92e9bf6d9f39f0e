package io.holdfast.cache;

import java.util.ArrayList;
import java.util.List;

import io.holdfast.hold.FailoverTemporaryStore;
import io.holdfast.hold.StorageMode;
import io.holdfast.hold.StorageModeChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Whether the cache may use Redis now. It follows the server's storage mode (the temporary store's circuit breaker)
 * and closes on its own at the first Redis failure the cache meets. Once closed, it opens again only after the
 * re-open actions ran: changes made meanwhile are replayed into Redis and every local entry is dropped, because
 * invalidation messages sent while this instance was cut off never reached it.
 */
class RedisCacheGate {

    private static final Logger log = LoggerFactory.getLogger(RedisCacheGate.class);

    private final FailoverTemporaryStore router;
    private final List<Runnable> onReopen = new ArrayList<>();
    /** Re-opening talks to Redis; it must not hold up the failback thread that announced the switch. */
    private final java.util.concurrent.ExecutorService reopener = java.util.concurrent.Executors.newSingleThreadExecutor(
            runnable -> {
                Thread thread = new Thread(runnable, "cache-redis-reopen");
                thread.setDaemon(true);
                return thread;
            });
    private volatile boolean open;

    /** @param router the temporary store's router, or null when no Redis is configured */
    RedisCacheGate(FailoverTemporaryStore router) {
        this.router = router;
        this.open = router != null && router.mode() == StorageMode.REDIS;
    }

    boolean configured() {
        return router != null;
    }

    boolean usable() {
        if (!open) {
            return false;
        }
        if (router.mode() != StorageMode.REDIS) {
            close("the server is in SQL mode");
            return false;
        }
        return true;
    }

    void failed(RuntimeException failure) {
        close(failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    synchronized void whenReopened(Runnable action) {
        onReopen.add(action);
    }

    @EventListener
    void storageModeChanged(StorageModeChanged changed) {
        if (changed.mode() == StorageMode.SQL) {
            close("the server switched to SQL mode");
        } else {
            reopener.execute(this::reopen);
        }
    }

    /** Retries after the cache's own failures, which the server's probe may not have noticed. */
    @Scheduled(fixedDelayString = "${holdfast.redis.probe-interval:1s}")
    void retry() {
        if (!open && router != null && router.mode() == StorageMode.REDIS) {
            reopen();
        }
    }

    private void close(String reason) {
        if (open) {
            open = false;
            log.warn("Cache: Redis not used ({}); serving from local memory and the database", reason);
        }
    }

    private synchronized void reopen() {
        if (open || router == null || router.mode() != StorageMode.REDIS) {
            return;
        }
        try {
            onReopen.forEach(Runnable::run);
            open = true;
            log.info("Cache: Redis in use again; local entries flushed");
        } catch (RuntimeException stillFailing) {
            log.warn("Cache: Redis not usable yet ({}); will retry", stillFailing.getMessage());
        }
    }
}
