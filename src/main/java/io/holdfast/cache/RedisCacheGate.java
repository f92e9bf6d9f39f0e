package io.holdfast.cache;

import java.util.ArrayList;
import java.util.List;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.StorageMode;
import io.holdfast.redis.StorageModeChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;

/**
 * Whether the cache may use Redis now. It follows the server's storage mode (the temporary store's circuit breaker)
 * and closes on its own at the first Redis failure the cache meets. Once closed, it opens again only after the
 * re-open actions ran: changes made meanwhile are replayed into Redis and every local entry is dropped, because
 * invalidation messages sent while this instance was cut off never reached it.
 */
class RedisCacheGate {

    private static final Logger log = LoggerFactory.getLogger(RedisCacheGate.class);

    private final RedisFirst router;
    private final List<Runnable> onReopen = new ArrayList<>();
    /** Re-opening talks to Redis; it must not hold up the failback thread that announced the switch. */
    private final java.util.concurrent.ExecutorService reopener = java.util.concurrent.Executors.newSingleThreadExecutor(
            runnable -> {
                Thread thread = new Thread(runnable, "cache-redis-reopen");
                thread.setDaemon(true);
                return thread;
            });
    private volatile boolean open;

    RedisCacheGate(RedisFirst router) {
        this.router = router;
        this.open = router.mode() == StorageMode.REDIS;
        router.afterEachGoodProbe(this::retry);
    }

    boolean configured() {
        return router.configured();
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

    /**
     * Retries after the cache's own failures, which the server's probe may not have noticed: after each probe that
     * reached Redis.
     */
    void retry() {
        if (!open && router.mode() == StorageMode.REDIS) {
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
        if (open || router.mode() != StorageMode.REDIS) {
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
