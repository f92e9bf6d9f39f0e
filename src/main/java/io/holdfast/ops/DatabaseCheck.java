package io.holdfast.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.stereotype.Component;

/**
 * Whether the database answers, within {@link HealthSettings#databaseTimeout()} whatever the database does. A
 * database that is gone makes the pool wait its whole connection timeout, and one that stalls (packets dropped)
 * makes a query wait much longer; so the check runs on a thread of its own and the caller waits only the health
 * timeout. Callers that come while a check is running share it: a storm of probes against a dead database starts
 * one check, not one blocked thread each.
 *
 * <p>The check asks the database on a connection of its own, not one from the pool: a pool that is only busy (every
 * connection lent out under a burst of requests) must not read as a database that is gone. Checked through the pool,
 * the check queued behind the burst, missed its timeout and called the database down, and every request was then
 * refused with 503 for as long as the burst lasted (200 simultaneous sign-ins on MariaDB, issue #13).
 */
@Component
public class DatabaseCheck implements DisposableBean {

    /** How long a "down" stands before requests make the check look again. */
    private static final long RECHECK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The application's pool, whose connections an outage may have broken. */
    private final DataSource pool;
    /** Where the check's own connection comes from: the pool's database, outside the pool. */
    private final DataSource database;
    private final long timeoutMillis;
    /** The check's own connection, kept between checks; only the checker thread touches it. */
    private Connection own;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "database-health-check");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<CompletableFuture<Boolean>> running = new AtomicReference<>();
    /** The check a broken connection started, while it has no answer; null otherwise. */
    private final AtomicReference<CompletableFuture<Boolean>> doubt = new AtomicReference<>();
    /** The latest answer, for {@link #knownDown()}; null before the first. */
    private final AtomicReference<Verdict> latest = new AtomicReference<>();

    private record Verdict(boolean reachable, long atNanos) {
    }

    DatabaseCheck(DataSource dataSource, HealthSettings settings) {
        this.pool = FailFastDataSource.pool(dataSource);
        this.timeoutMillis = Math.max(1, settings.databaseTimeout().toMillis());
        this.database = outsideThePool(pool, Duration.ofMillis(timeoutMillis));
    }

    public boolean reachable() {
        Verdict before = latest.get();
        CompletableFuture<Boolean> check = check();
        if (check == null) {
            return false;
        }
        try {
            return check.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException notInTime) {
            latest.compareAndSet(before, new Verdict(false, System.nanoTime()));
            return false;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Whether the latest check found the database down: requests then fail at once rather than wait for the pool
     * ({@link FailFastDataSource}). A "down" older than {@link #RECHECK_AFTER_NANOS} starts a check in the background
     * and still answers true until that check has an answer, which comes within the health timeout. While a check that
     * a broken connection started has no answer ({@link #connectionBroke()}), this waits for it, at most the health
     * timeout; otherwise it is two reads of a volatile.
     */
    boolean knownDown() {
        CompletableFuture<Boolean> pending = doubt.get();
        if (pending != null) {
            awaitDoubt(pending);
        }
        Verdict verdict = latest.get();
        if (verdict == null || verdict.reachable()) {
            return false;
        }
        if (System.nanoTime() - verdict.atNanos() > RECHECK_AFTER_NANOS) {
            checkInBackground(verdict);
        }
        return true;
    }

    /**
     * A request could not get a connection. When the pool says why (its last attempt to connect failed, or the
     * driver's connection failure itself), the database is down now; otherwise (the pool was only busy) a check
     * decides.
     */
    void connectionFailed(SQLException failure) {
        Verdict verdict = latest.get();
        if (failure.getCause() instanceof SQLException || isConnectionState(failure)) {
            latest.compareAndSet(verdict, new Verdict(false, System.nanoTime()));
        } else {
            checkInBackground(verdict);
        }
    }

    /**
     * A lent connection broke (a read that timed out, a connection closed under it): the database may be gone or
     * silent. A check starts now, and until it answers (within the health timeout) connection requests wait for
     * its answer ({@link #knownDown()}) instead of queueing in the pool for a connection that may never come.
     */
    void connectionBroke() {
        Verdict verdict = latest.get();
        CompletableFuture<Boolean> check = check();
        if (check != null && !check.isDone()) {
            doubt.set(check);
            CompletableFuture.delayedExecutor(timeoutMillis, TimeUnit.MILLISECONDS).execute(() -> {
                if (!check.isDone()) {
                    latest.compareAndSet(verdict, new Verdict(false, System.nanoTime()));
                }
            });
        }
    }

    static boolean isConnectionState(SQLException failure) {
        return failure.getSQLState() != null && failure.getSQLState().startsWith("08");
    }

    /** Waits for the check a broken connection started; no answer within the health timeout is "down". */
    private void awaitDoubt(CompletableFuture<Boolean> pending) {
        Verdict before = latest.get();
        try {
            pending.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException notInTime) {
            latest.compareAndSet(before, new Verdict(false, System.nanoTime()));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } finally {
            if (pending.isDone() || latest.get() != before) {
                doubtSettled(pending);
            }
        }
    }

    private void doubtSettled(CompletableFuture<Boolean> pending) {
        // a newer doubt (a connection that broke after this check began) stays
        doubt.compareAndSet(pending, null);
    }

    /** A check nobody waits for; no answer within the health timeout is "down", as for {@link #reachable()}. */
    private void checkInBackground(Verdict before) {
        if (running.get() != null) {
            return; // its starter watches its time
        }
        CompletableFuture<Boolean> check = check();
        if (check != null && !check.isDone()) {
            CompletableFuture.delayedExecutor(timeoutMillis, TimeUnit.MILLISECONDS).execute(() -> {
                if (!check.isDone()) {
                    latest.compareAndSet(before, new Verdict(false, System.nanoTime()));
                }
            });
        }
    }

    /** The running check, or a new one; null when the server is shutting down. */
    private CompletableFuture<Boolean> check() {
        CompletableFuture<Boolean> fresh = new CompletableFuture<>();
        CompletableFuture<Boolean> check = running.compareAndExchange(null, fresh);
        if (check != null) {
            return check;
        }
        try {
            checker.execute(() -> {
                boolean valid = false;
                try {
                    valid = connectionValid();
                } finally {
                    Verdict before = latest.getAndSet(new Verdict(valid, System.nanoTime()));
                    if (valid && before != null && !before.reachable()) {
                        renewPool();
                    }
                    // Out of running before its answer is out: a request that comes after this answer must
                    // start a check of its own, never take this finished one for the state of now.
                    running.compareAndSet(fresh, null);
                    fresh.complete(valid);
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            running.compareAndSet(fresh, null);
            return null;
        }
        return fresh;
    }

    /**
     * A data source of the pool's database that opens connections directly, with the pool's URL, credentials and
     * driver properties, and connect, sign-in and read timeouts of the health timeout ({@link DatabaseTimeouts}): a
     * stalled database makes the check fail within it, and the check's thread is free again for the next check
     * (before, a new connection to a stalled database waited for the driver's own limits, tens of seconds or none,
     * and every check meanwhile shared that one's fate). The pool itself only when it is not a Hikari pool
     * configured by URL (then a busy pool can still read as down).
     */
    private static DataSource outsideThePool(DataSource pool, Duration timeout) {
        if (pool instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            DriverManagerDataSource direct = new DriverManagerDataSource(hikari.getJdbcUrl(), hikari.getUsername(),
                    hikari.getPassword());
            if (hikari.getDriverClassName() != null) {
                direct.setDriverClassName(hikari.getDriverClassName());
            }
            direct.setConnectionProperties(DatabaseTimeouts.forCheck(DatabaseTimeouts.Driver.of(hikari.getJdbcUrl()),
                    hikari.getDataSourceProperties(), timeout));
            return direct;
        }
        return pool;
    }

    private boolean connectionValid() {
        // isValid's own timeout (whole seconds, at least one) bounds a stalled connection.
        int seconds = (int) Math.max(1, (timeoutMillis + 999) / 1000);
        if (own != null && valid(own, seconds)) {
            return true;
        }
        // No connection yet, or the kept one is broken (the database restarted, or closed it while idle): a new one
        // decides, so an idle connection the server dropped never reads as the database down.
        closeOwn();
        try {
            own = database.getConnection();
            return valid(own, seconds);
        } catch (SQLException | RuntimeException unreachable) {
            closeOwn();
            return false;
        }
    }

    /**
     * The database is back after a "down": the pool's connections may have died with the outage (a restarted server,
     * a cut network), and one used again within Hikari's half-second bypass of its own check would fail its first
     * request. The check no longer goes through the pool, so it no longer weeds them out; the pool drops them now
     * (those lent out when they come back) and opens new ones.
     */
    private void renewPool() {
        if (pool instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null) {
            hikari.getHikariPoolMXBean().softEvictConnections();
        }
    }

    private static boolean valid(Connection connection, int seconds) {
        try {
            return connection.isValid(seconds);
        } catch (SQLException | RuntimeException broken) {
            return false;
        }
    }

    private void closeOwn() {
        Connection connection = own;
        own = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException alreadyBroken) {
                // it is being dropped because it is broken; closing it is only tidiness
            }
        }
    }

    @Override
    public void destroy() {
        checker.shutdownNow();
        try {
            checker.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        closeOwn();
    }
}
