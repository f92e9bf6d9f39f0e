package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.holdfast.support.Api;
import io.holdfast.support.ServerTest;
import io.holdfast.support.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The server reaches the machine's PostgreSQL through a TCP proxy the test cuts: with the database gone both
 * health endpoints and readiness say down (503), and say it within a couple of seconds; liveness stays UP, so
 * Kubernetes takes the pod out of rotation instead of restarting it. When the database returns, so does "ok".
 */
@ActiveProfiles("postgresql")
class DatabaseDownIsDownTest extends ServerTest {

    private static final TcpProxy DATABASE = TcpProxy.start("127.0.0.1",
            Integer.parseInt(System.getenv().getOrDefault("HOLDFAST_TEST_PG_PORT", "5432")));
    private static final String SCHEMA = System.getenv().getOrDefault("HOLDFAST_TEST_SCHEMA", "holdfast_test")
            + "_proxied";
    /** The health timeout (2 s) plus room for a loaded two-core machine. */
    private static final Duration PROMPT = Duration.ofSeconds(4);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url",
                () -> "jdbc:postgresql://127.0.0.1:" + DATABASE.port() + "/test?currentSchema=" + SCHEMA);
        registry.add("spring.flyway.schemas", () -> SCHEMA);
        // Requests must not queue for the pool's usual 10 s while the database is gone.
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
        registry.add("spring.datasource.hikari.validation-timeout", () -> "500");
    }

    @Autowired
    DataSource dataSource;

    @AfterAll
    static void stopProxy() {
        DATABASE.close();
    }

    @Test
    void downWithinSecondsButStillAlive() {
        assertThat(api.get("/api/v1/health").json().get("status").asString()).isEqualTo("ok");
        assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);

        DATABASE.cut();
        try {
            Api.Response health = timed("/api/v1/health");
            assertThat(health.status()).as(health.toString()).isEqualTo(503);
            JsonNode body = health.json();
            assertThat(body.get("status").asString()).isEqualTo("down");
            assertThat(body.get("database").asString()).isEqualTo("down");
            assertThat(body.get("redis").asString()).isEqualTo("disabled");
            assertThat(body.get("storageMode").asString()).isEqualTo("sql");

            Api.Response actuator = timed("/actuator/health");
            assertThat(actuator.status()).as(actuator.toString()).isEqualTo(503);
            assertThat(actuator.json().get("status").asString()).isEqualTo("DOWN");
            assertThat(actuator.json().get("components").get("database").get("status").asString()).isEqualTo("DOWN");

            Api.Response readiness = timed("/actuator/health/readiness");
            assertThat(readiness.status()).as(readiness.toString()).isEqualTo(503);
            assertThat(readiness.json().get("status").asString()).isEqualTo("DOWN");

            Api.Response liveness = timed("/actuator/health/liveness");
            assertThat(liveness.status()).as(liveness.toString()).isEqualTo(200);
            assertThat(liveness.json().get("status").asString()).isEqualTo("UP");
        } finally {
            DATABASE.restore();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/v1/health").status() == 200);
        assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
    }

    /**
     * A database that stops answering without closing anything is the slow case: the pool would wait its whole
     * connection timeout (the production 10 s here) and a query on a connection it hands out waits longer still.
     */
    @Test
    void downWithinSecondsWhenTheDatabaseStalls() throws Exception {
        assertThat(api.get("/api/v1/health").status()).isEqualTo(200);
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        long connectionTimeout = pool.getConnectionTimeout();
        pool.setConnectionTimeout(10_000);
        DATABASE.stall();
        try {
            Api.Response health = timed("/api/v1/health");
            assertThat(health.status()).as(health.toString()).isEqualTo(503);
            assertThat(health.json().get("database").asString()).isEqualTo("down");
            Api.Response readiness = timed("/actuator/health/readiness");
            assertThat(readiness.status()).as(readiness.toString()).isEqualTo(503);
            Api.Response liveness = timed("/actuator/health/liveness");
            assertThat(liveness.status()).as(liveness.toString()).isEqualTo(200);
        } finally {
            DATABASE.restore();
            pool.setConnectionTimeout(connectionTimeout);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/health").status() == 200);
    }

    private Api.Response timed(String path) {
        long started = System.nanoTime();
        Api.Response response = api.get(path);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as(path + " answers promptly").isLessThan(PROMPT);
        return response;
    }
}
