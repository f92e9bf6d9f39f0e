package io.holdfast.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Whether the database answers, within {@link HealthSettings#databaseTimeout()} whatever the database does. A
 * database that is gone makes the pool wait its whole connection timeout, and one that stalls (packets dropped)
 * makes a query wait much longer; so the check runs on a thread of its own and the caller waits only the health
 * timeout. Callers that come while a check is running share it: a storm of probes against a dead database starts
 * one check, not one blocked thread each.
 */
@Component
public class DatabaseCheck implements DisposableBean {

    private final DataSource dataSource;
    private final long timeoutMillis;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "database-health-check");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<CompletableFuture<Boolean>> running = new AtomicReference<>();

    DatabaseCheck(DataSource dataSource, HealthSettings settings) {
        this.dataSource = dataSource;
        this.timeoutMillis = Math.max(1, settings.databaseTimeout().toMillis());
    }

    public boolean reachable() {
        CompletableFuture<Boolean> fresh = new CompletableFuture<>();
        CompletableFuture<Boolean> check = running.compareAndExchange(null, fresh);
        if (check == null) {
            check = fresh;
            try {
                checker.execute(() -> {
                    boolean valid = false;
                    try {
                        valid = connectionValid();
                    } finally {
                        // Out of running before its answer is out: a request that comes after this answer must
                        // start a check of its own, never take this finished one for the state of now.
                        running.compareAndSet(fresh, null);
                        fresh.complete(valid);
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                running.compareAndSet(fresh, null);
                return false;
            }
        }
        try {
            return check.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException notInTime) {
            return false;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean connectionValid() {
        // isValid's own timeout (whole seconds, at least one) bounds a stalled connection the pool handed out.
        int seconds = (int) Math.max(1, (timeoutMillis + 999) / 1000);
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(seconds);
        } catch (SQLException | RuntimeException unreachable) {
            return false;
        }
    }

    @Override
    public void destroy() {
        checker.shutdownNow();
    }
}
