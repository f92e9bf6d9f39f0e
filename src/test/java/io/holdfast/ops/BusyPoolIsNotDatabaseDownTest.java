package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.holdfast.support.Api;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * A pool whose every connection is lent out (a burst of requests) is busy, not a database that is gone: a request that
 * cannot get a connection in time is refused on its own (503, as any pool timeout), but the health check, which asks
 * the database on a connection of its own, still finds it up, and the next request after the burst is served at
 * once. Before, the check queued behind the burst, missed its timeout, called the database down, and every request
 * was then refused without asking the pool (200 simultaneous sign-ins on MariaDB met a wall of 503s).
 */
@ActiveProfiles("h2")
@TestPropertySource(properties = {
        "spring.datasource.hikari.maximum-pool-size=3",
        "spring.datasource.hikari.minimum-idle=3",
        "spring.datasource.hikari.connection-timeout=1000",
        "holdfast.health.database-timeout=500ms"})
class BusyPoolIsNotDatabaseDownTest extends ServerTest {

    @Autowired
    DataSource dataSource;

    @Test
    void aBusyPoolRefusesOnlyTheRequestsThatFindItBusy() throws Exception {
        assertThat(newLocation().status()).isEqualTo(201);
        HikariDataSource pool = (HikariDataSource) FailFastDataSource.pool(dataSource);
        List<Connection> lent = new ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                lent.add(pool.getConnection());
            }
            Api.Response waited = newLocation();
            assertThat(waited.status()).as("a request that found the pool busy: %s", waited).isEqualTo(503);
            assertThat(waited.code()).isEqualTo("service_unavailable");

            Api.Response health = api.get("/api/v1/health");
            assertThat(health.status()).as("health while the pool is busy: %s", health).isEqualTo(200);
        } finally {
            for (Connection connection : lent) {
                connection.close();
            }
        }
        Api.Response after = newLocation();
        assertThat(after.status()).as("the first request after the burst: %s", after).isEqualTo(201);
    }

    /** A request that always needs a connection: a catalogue write. */
    private Api.Response newLocation() {
        return api.admin("POST", "/api/v1/admin/locations", Map.of("name", "Busy pool salon", "timeZone", "UTC",
                "slotIntervalMinutes", 30, "minNoticeMinutes", 60, "bookingWindowDays", 60,
                "cancelCutoffMinutes", 120));
    }
}
