package io.holdfast.identity;

import static io.holdfast.UtcColumns.toColumn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.AbstractSelectForUpdateBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.LockAndGetResult;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.SelectForUpdateBasedTransaction;
import io.github.bucket4j.distributed.remote.RemoteBucketState;

/**
 * Bucket4j's buckets in {@code rate_limit_bucket}, through its generic select-for-update integration: one row per
 * bucket, locked while a request takes its tokens, so concurrent requests of all instances are counted one after
 * the other. Bucket4j ships such integrations for PostgreSQL and MySQL/MariaDB but not for H2 (the embedded
 * default); this one uses only SQL that all three share. The row's {@code expires_at} is when the bucket would be
 * full again, after which the sweeper may delete it.
 */
class SqlBuckets extends AbstractSelectForUpdateBasedProxyManager<String> {

    /** SQLState class 23: integrity constraint violation (the row was inserted by someone else meanwhile). */
    private static final String CONSTRAINT_VIOLATION = "23";

    private final DataSource dataSource;
    private final TimeMeter clock;
    private final ExpirationAfterWriteStrategy expiry;

    SqlBuckets(DataSource dataSource, TimeMeter clock, ExpirationAfterWriteStrategy expiry) {
        super(ClientSideConfig.getDefault().withClientClock(clock));
        this.dataSource = dataSource;
        this.clock = clock;
        this.expiry = expiry;
    }

    @Override
    protected SelectForUpdateBasedTransaction allocateTransaction(String key, Optional<Long> timeoutNanos) {
        return new SelectForUpdateBasedTransaction() {

            private Connection connection;

            @Override
            public void begin(Optional<Long> timeout) {
                try {
                    connection = dataSource.getConnection();
                    connection.setAutoCommit(false);
                    // No gap locks on InnoDB for a bucket that does not exist yet (which would deadlock two first
                    // requests); the row lock is all the serialising needed.
                    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                } catch (SQLException e) {
                    throw new IllegalStateException("Cannot start a rate-limit transaction", e);
                }
            }

            @Override
            public LockAndGetResult tryLockAndGet(Optional<Long> timeout) {
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT state FROM rate_limit_bucket WHERE id = ? FOR UPDATE")) {
                    applyTimeout(select, timeout);
                    select.setString(1, key);
                    try (ResultSet row = select.executeQuery()) {
                        return row.next() ? LockAndGetResult.locked(row.getBytes(1)) : LockAndGetResult.notLocked();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("Cannot lock rate-limit bucket " + key, e);
                }
            }

            @Override
            public boolean tryInsertEmptyData(Optional<Long> timeout) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO rate_limit_bucket (id, state, expires_at) VALUES (?, NULL, ?)")) {
                    applyTimeout(insert, timeout);
                    insert.setString(1, key);
                    insert.setObject(2, toColumn(now().plusSeconds(3600)));
                    return insert.executeUpdate() == 1;
                } catch (SQLException e) {
                    if (e.getSQLState() != null && e.getSQLState().startsWith(CONSTRAINT_VIOLATION)) {
                        return false; // inserted by a parallel request: lock it in the next round
                    }
                    throw new IllegalStateException("Cannot create rate-limit bucket " + key, e);
                }
            }

            @Override
            public void update(byte[] data, RemoteBucketState newState, Optional<Long> timeout) {
                long ttlMillis = expiry.calculateTimeToLiveMillis(newState, clock.currentTimeNanos());
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE rate_limit_bucket SET state = ?, expires_at = ? WHERE id = ?")) {
                    applyTimeout(update, timeout);
                    update.setBytes(1, data);
                    update.setObject(2, toColumn(now().plusMillis(Math.max(0, ttlMillis))));
                    update.setString(3, key);
                    update.executeUpdate();
                } catch (SQLException e) {
                    throw new IllegalStateException("Cannot update rate-limit bucket " + key, e);
                }
            }

            @Override
            public void commit(Optional<Long> timeout) {
                try {
                    connection.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException("Cannot commit rate-limit bucket " + key, e);
                }
            }

            @Override
            public void rollback() {
                // bucket4j rolls back after a failure and then throws that failure, unless this throws first: a
                // rollback on a connection that broke under the failed statement fails too ("Connection is closed",
                // no SQLState) and turned the statement's connection failure (a 503) into a 500. A connection that
                // could not roll back is closed by release(), and the pool discards or rolls it back then.
                try {
                    connection.rollback();
                } catch (SQLException brokenConnection) {
                    // the failure that made bucket4j roll back is the one to report
                }
            }

            @Override
            public void release() {
                if (connection == null) {
                    return;
                }
                // Never throws: it runs in bucket4j's finally, so a failure here would replace the operation's own
                // (a connection that broke under its SELECT FOR UPDATE, say, whose SQLState 08 makes the answer a
                // 503; "Connection is closed" from its release has no SQLState and made it a 500). A connection that
                // cannot be reset was evicted by the pool already, or is dropped by it on close.
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException broken) {
                    // the pool evicts a broken connection; the operation's own outcome stands
                } finally {
                    try {
                        connection.close();
                    } catch (SQLException alreadyGone) {
                        // closing is all that was wanted
                    }
                }
            }
        };
    }

    @Override
    public void removeProxy(String key) {
        throw new UnsupportedOperationException("Rate-limit buckets are removed by the sweeper when they expire");
    }

    private Instant now() {
        long nanos = clock.currentTimeNanos();
        return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }
}
