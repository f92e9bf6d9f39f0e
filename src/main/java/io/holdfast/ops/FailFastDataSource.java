package io.holdfast.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

/**
 * The connection pool, with one rule in front: while {@link DatabaseCheck} knows the database is down, a request for
 * a connection fails at once instead of queueing for the pool's whole connection timeout (10 s) on a database
 * that is not there. The failure is the one the pool itself would throw after its timeout (an
 * {@link SQLTransientConnectionException}, SQLState 08001), so it is answered the same way: 503
 * {@code service_unavailable} with {@code Retry-After}. A failed connection request makes the check look again;
 * a verdict "down" is rechecked in the background once it is a second old, so requests are refused at most about
 * a second after the database is back. Reads served without the database (Redis, the cache) go on untouched.
 */
final class FailFastDataSource extends DelegatingDataSource {

    private final ObjectProvider<DatabaseCheck> check;
    /**
     * The check once the context has made it: {@link ObjectProvider#getIfAvailable()} resolves the bean through the
     * bean factory on every call, which was 5 % of a booking's request CPU (issue #13: one lookup per connection).
     * Null until then (the pool is used while the context starts, before the check exists).
     */
    private volatile DatabaseCheck known;

    private FailFastDataSource(DataSource pool, ObjectProvider<DatabaseCheck> check) {
        super(pool);
        this.check = check;
    }

    /** The pool itself, for the check: it must ask the real database, whatever the last verdict was. */
    static DataSource pool(DataSource dataSource) {
        return dataSource instanceof FailFastDataSource gate ? gate.obtainTargetDataSource() : dataSource;
    }

    @Override
    public Connection getConnection() throws SQLException {
        refuseWhileDown();
        try {
            return super.getConnection();
        } catch (SQLException failure) {
            failed(failure);
            throw failure;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        refuseWhileDown();
        try {
            return super.getConnection(username, password);
        } catch (SQLException failure) {
            failed(failure);
            throw failure;
        }
    }

    private DatabaseCheck check() {
        DatabaseCheck found = known;
        if (found == null) {
            found = check.getIfAvailable();
            known = found;
        }
        return found;
    }

    private void refuseWhileDown() throws SQLTransientConnectionException {
        DatabaseCheck known = check();
        if (known != null && known.knownDown()) {
            throw new SQLTransientConnectionException("The database is unavailable (its last check failed)", "08001");
        }
    }

    private void failed(SQLException failure) {
        DatabaseCheck known = check();
        if (known != null) {
            known.connectionFailed(failure);
        }
    }

    /**
     * Puts the gate in front of the application's connection pool, gives the pool's connections their read timeout
     * ({@link DatabaseTimeouts}) and has the check look whenever one of them breaks. Done before the pool starts (it
     * starts at the first connection request): its settings are sealed then.
     */
    @Component
    static class Installer implements BeanPostProcessor {

        private final ObjectProvider<DatabaseCheck> check;
        private final ObjectProvider<DatabaseSettings> settings;

        Installer(ObjectProvider<DatabaseCheck> check, ObjectProvider<DatabaseSettings> settings) {
            this.check = check;
            this.settings = settings;
        }

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!(bean instanceof HikariDataSource pool)) {
                return bean;
            }
            FailFastDataSource gate = new FailFastDataSource(pool, check);
            if (pool.getHikariPoolMXBean() == null) {
                DatabaseSettings timeouts = settings.getObject();
                DatabaseTimeouts.onPool(DatabaseTimeouts.Driver.of(pool.getJdbcUrl()), pool.getDataSourceProperties(),
                        timeouts.readTimeout());
                pool.setExceptionOverride(new SQLExceptionOverride() {
                    @java.lang.Override
                    public Override adjudicate(SQLException failure) {
                        return gate.broken(failure);
                    }
                });
            }
            return gate;
        }
    }

    /**
     * Hikari shows this every SQL exception on a lent connection, and evicts the connection when the exception says
     * it is broken (its default verdict, kept). A connection failure (SQLState 08: a read that timed out, a connection
     * the database or the network closed) makes the check look at once, and further connection requests wait for its
     * answer rather than for a connection that may never come: the rest of a request whose statement timed out is
     * then refused within the health timeout, not after the pool's whole connection timeout.
     */
    private SQLExceptionOverride.Override broken(SQLException failure) {
        if (DatabaseCheck.isConnectionState(failure) || failure instanceof SQLRecoverableException
                || failure instanceof SQLNonTransientConnectionException) {
            DatabaseCheck known = check();
            if (known != null) {
                known.connectionBroke();
            }
        }
        return SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
