package io.holdfast.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure of the SQL database's reachability (stopped, crashed, network gone, pool out of connections)
 * from a bug, so it is answered 503 {@code service_unavailable} with {@code Retry-After} rather than 500. Every
 * request that writes does so in one transaction, and a transaction that lost its connection is rolled back by the
 * database, so the client may simply send the same request again.
 *
 * <p>Spring's wrappers alone do not decide it: Spring Data Redis reports a lost Redis connection as a
 * {@link DataAccessResourceFailureException} too. What decides is a JDBC exception in the causes: a connection
 * failure by its class or by its SQLState class {@code 08} (what Hikari's timeout, the drivers and
 * {@code DataSourceUtils} throw), or any SQL exception under one of Spring's resource-failure wrappers.
 */
final class DatabaseUnavailable {

    /** How long a client should wait before it tries again: a restarted database or a failed-over one. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    static final String DETAIL = "The database is unavailable right now; try again shortly";

    private DatabaseUnavailable() {
    }

    static boolean causes(Throwable failure) {
        boolean underResourceFailure = false;
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 32; cause = cause.getCause(), depth++) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessResourceException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof CannotCreateTransactionException) {
                underResourceFailure = true;
            }
            if (cause instanceof SQLException sql && (underResourceFailure || connectionFailure(sql))) {
                return true;
            }
            // A transaction whose connection broke under a statement (a read that timed out) cannot be rolled
            // back either: the pool has closed that connection, and the rollback's own failure ("Connection is
            // closed", no SQLState) replaces the statement's. Spring keeps the statement's failure with it.
            if (cause instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
                    && rollback.getApplicationException() != failure && causes(rollback.getApplicationException())) {
                return true;
            }
            // A commit or rollback the driver itself failed: the connection broke as the transaction ended. When a
            // commit's read timed out, Spring rolls back, that fails on the closed connection too, and the commit's
            // failure is only logged ("Commit exception overridden by rollback exception"). Whether the commit
            // reached the database is unknown; a retry with the same Idempotency-Key answers either way.
            if (cause instanceof TransactionSystemException ending && ending.getCause() instanceof SQLException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static boolean connectionFailure(SQLException sql) {
        String state = sql.getSQLState();
        return sql instanceof SQLTransientConnectionException || sql instanceof SQLNonTransientConnectionException
                || sql instanceof SQLRecoverableException || (state != null && state.startsWith("08"));
    }

    static ApiProblem problem() {
        return ApiProblem.unavailable(RETRY_AFTER, DETAIL);
    }
}
