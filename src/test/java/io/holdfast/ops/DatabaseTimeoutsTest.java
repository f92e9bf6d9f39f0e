package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Duration;
import java.util.Properties;

import javax.sql.DataSource;

import io.holdfast.support.ServerTest;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;

/**
 * Where each read timeout applies, on the real drivers: the pool's connections wait at most
 * {@code holdfast.database.read-timeout} for the database, Flyway's migrations get
 * {@code holdfast.database.migration-read-timeout} on theirs, and the pool puts the request timeout back when such a
 * connection comes back; the health check's own connection gives up within the health timeout.
 */
abstract class DatabaseTimeoutsTest extends ServerTest {

    @Autowired
    DataSource dataSource;
    @Autowired
    Flyway flyway;
    @Autowired
    DatabaseSettings settings;

    @Test
    void requestsGetTheReadTimeoutAndMigrationsTheirsUntilTheyGiveTheConnectionBack() throws Exception {
        try (Connection request = dataSource.getConnection()) {
            assertThat(request.getNetworkTimeout()).isEqualTo(settings.readTimeout().toMillis());
        }
        try (Connection migration = flyway.getConfiguration().getDataSource().getConnection()) {
            assertThat(migration.getNetworkTimeout()).isEqualTo(settings.migrationReadTimeout().toMillis());
        }
        // The pool lends its most recently returned connection first: the one Flyway had, reset.
        try (Connection again = dataSource.getConnection()) {
            assertThat(again.getNetworkTimeout()).isEqualTo(settings.readTimeout().toMillis());
        }
    }

    @Test
    void theHealthChecksOwnConnectionGivesUpWithinTheHealthTimeout() {
        Properties pool = new Properties();
        pool.setProperty("socketTimeout", "10");
        pool.setProperty("ssl", "false");
        Properties postgres = DatabaseTimeouts.forCheck(DatabaseTimeouts.Driver.POSTGRESQL, pool,
                Duration.ofMillis(1500));
        assertThat(postgres).containsEntry("socketTimeout", "2").containsEntry("connectTimeout", "2")
                .containsEntry("loginTimeout", "2").containsEntry("ssl", "false");
        Properties mariadb = DatabaseTimeouts.forCheck(DatabaseTimeouts.Driver.MYSQL, pool, Duration.ofMillis(1500));
        assertThat(mariadb).containsEntry("socketTimeout", "1500").containsEntry("connectTimeout", "1500");
        assertThat(pool).as("the pool's own properties are left as they were").containsEntry("socketTimeout", "10");
    }
}

@ActiveProfiles("postgresql")
class DatabaseTimeoutsOnPostgresTest extends DatabaseTimeoutsTest {
}

@ActiveProfiles("mariadb")
class DatabaseTimeoutsOnMariaDbTest extends DatabaseTimeoutsTest {
}
