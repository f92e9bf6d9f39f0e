package io.holdfast.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import javax.sql.DataSource;

import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Read timeouts on the drivers' sockets ({@link DatabaseSettings}). A socket read timeout is the one limit that holds
 * against a silent database: PostgreSQL's {@code statement_timeout} and MariaDB's {@code max_statement_time} are
 * enforced by the server (a frozen server enforces nothing, and its answer would not cross a partition), and JDBC's
 * {@code setQueryTimeout} is the same on MariaDB and, on PostgreSQL, a cancel request sent to the server on a new
 * connection, after which the driver still waits for the server's answer on the stalled one. A read timeout needs no
 * answer: the driver stops waiting, closes the connection and fails the statement with SQLState 08 (a connection
 * failure), which the pool evicts and the web edge answers with 503.
 *
 * <p>It is a limit on silence, not on work: a result that streams in keeps it from firing, so it cuts only a statement
 * that is quiet for longer, which no request statement is (indexed reads and writes of a few rows; the failback's
 * reads and batched deletes of 10,000 holds take well under a second, docs/benchmarks.md). Flyway's migrations can be
 * quiet for long (an index built over a large table) and get {@link DatabaseSettings#migrationReadTimeout()} on their
 * connections instead.
 *
 * <p>Set as the drivers' own {@code socketTimeout} property on the pool, so a connection has it from its first byte
 * and Hikari restores it whenever a borrower changed it (Hikari resets a connection's network timeout when it comes
 * back): no call per request.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseTimeouts {

    /** Drivers that talk to the database over a socket and know a read timeout. */
    enum Driver {
        /** pgjdbc: {@code socketTimeout}, {@code connectTimeout} and {@code loginTimeout} in whole seconds. */
        POSTGRESQL,
        /** MariaDB Connector/J (and MySQL Connector/J): {@code socketTimeout} and {@code connectTimeout} in ms. */
        MYSQL;

        static Driver of(String jdbcUrl) {
            if (jdbcUrl == null) {
                return null;
            }
            DatabaseDriver driver = DatabaseDriver.fromJdbcUrl(jdbcUrl);
            return switch (driver) {
                case POSTGRESQL -> POSTGRESQL;
                case MARIADB, MYSQL -> MYSQL;
                default -> null;
            };
        }

        /** A duration in this driver's unit: whole seconds rounded up for PostgreSQL (0 stays 0: none). */
        String value(Duration timeout) {
            long millis = Math.max(0, timeout.toMillis());
            return this == POSTGRESQL ? Long.toString((millis + 999) / 1000) : Long.toString(millis);
        }
    }

    /**
     * The pool's read timeout, unless its driver properties ({@code spring.datasource.hikari.data-source-properties})
     * name one already. A {@code socketTimeout} in the URL wins over both on PostgreSQL.
     */
    static void onPool(Driver driver, Properties properties, Duration readTimeout) {
        if (driver != null) {
            properties.putIfAbsent("socketTimeout", driver.value(readTimeout));
        }
    }

    /**
     * The health check's own connection gives up connecting, signing in and reading within the health timeout, so a
     * stalled database reads as down and the check's thread is free for the next check at once.
     */
    static Properties forCheck(Driver driver, Properties poolProperties, Duration timeout) {
        Properties properties = new Properties();
        properties.putAll(poolProperties);
        if (driver != null) {
            String value = driver.value(timeout.isZero() ? Duration.ofMillis(1) : timeout);
            properties.setProperty("socketTimeout", value);
            properties.setProperty("connectTimeout", value);
            if (driver == Driver.POSTGRESQL) {
                properties.setProperty("loginTimeout", value);
            }
        }
        return properties;
    }

    /** Flyway's connections with the migrations' read timeout; the pool resets it when they come back. */
    @Bean
    FlywayConfigurationCustomizer migrationReadTimeout(DatabaseSettings settings) {
        return configuration -> {
            DataSource dataSource = configuration.getDataSource();
            if (dataSource == null) {
                return;
            }
            configuration.dataSource(new DelegatingDataSource(dataSource) {
                @Override
                public Connection getConnection() throws SQLException {
                    return migrating(super.getConnection(), settings.migrationReadTimeout());
                }

                @Override
                public Connection getConnection(String username, String password) throws SQLException {
                    return migrating(super.getConnection(username, password), settings.migrationReadTimeout());
                }
            });
        };
    }

    private static Connection migrating(Connection connection, Duration timeout) throws SQLException {
        try {
            if (Driver.of(connection.getMetaData().getURL()) != null) {
                connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            }
            return connection;
        } catch (SQLException | RuntimeException failed) {
            connection.close();
            throw failed;
        }
    }
}
