package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Which failures are the database's unavailability (503 with Retry-After) and which are bugs (500). The cases are the
 * shapes Spring and the drivers gave in the database-stall tests (DatabaseStallTest).
 */
class DatabaseUnavailableTest {

    @Test
    void aCommitWhoseConnectionBrokeIsUnavailableEvenWhenItsRollbackFailedToo() {
        // CI of 7674ccf, MariaDB stalled: the commit's read timed out ("Socket timout error", SQLState 08), Spring
        // rolled back on the commit exception, the rollback met the closed connection and replaced the commit's
        // failure, which Spring only logs ("Commit exception overridden by rollback exception").
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        assertThat(DatabaseUnavailable.causes(rollback)).isTrue();
    }

    @Test
    void aStatementWhoseConnectionBrokeIsUnavailableWhenItsRollbackFailed() {
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        rollback.initApplicationException(new DataAccessResourceFailureException("read timed out",
                new SQLException("Socket timeout", "08000")));
        assertThat(DatabaseUnavailable.causes(rollback)).isTrue();
    }

    @Test
    void aLostConnectionIsUnavailable() {
        assertThat(DatabaseUnavailable.causes(new IllegalStateException("wrapped",
                new SQLTransientConnectionException("The database is unavailable (its last check failed)")))).isTrue();
    }

    @Test
    void bugsAndRefusedDataAreNot() {
        assertThat(DatabaseUnavailable.causes(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseUnavailable.causes(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(DatabaseUnavailable.causes(new TransactionSystemException("Transaction rolled back because it "
                + "has been marked as rollback-only"))).isFalse();
        assertThat(DatabaseUnavailable.causes(new TransactionSystemException("Could not commit",
                new IllegalStateException("a bug in a synchronization")))).isFalse();
    }
}
