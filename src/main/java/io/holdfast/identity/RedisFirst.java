package io.holdfast.identity;

import java.util.function.Supplier;

import io.holdfast.hold.FailoverTemporaryStore;
import io.holdfast.hold.StorageMode;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Identity's temporary state follows the temporary store's mode: one mode, one failover and one failback for all
 * temporary state. Without a configured Redis everything is answered from SQL.
 */
@Component
class RedisFirst {

    private final FailoverTemporaryStore router;

    RedisFirst(ObjectProvider<FailoverTemporaryStore> router) {
        this.router = router.getIfAvailable();
    }

    /** {@code onRedis} while Redis serves; {@code onSql} otherwise and whenever {@code onRedis} fails on Redis. */
    <T> T call(Supplier<T> onRedis, Supplier<T> onSql) {
        return router == null ? onSql.get() : router.redisFirst(onRedis, onSql);
    }

    void run(Runnable onRedis, Runnable onSql) {
        call(() -> {
            onRedis.run();
            return null;
        }, () -> {
            onSql.run();
            return null;
        });
    }

    boolean configured() {
        return router != null;
    }

    StorageMode mode() {
        return router == null ? StorageMode.SQL : router.mode();
    }
}
