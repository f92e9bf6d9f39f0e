package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.support.Api;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** The embedded default (no Redis configured) is healthy: Redis "disabled" is not "disconnected". */
@ActiveProfiles("h2")
class HealthWithoutRedisTest extends ServerTest {

    @Test
    void okWithRedisDisabled() {
        Api.Response health = api.get("/api/v1/health");
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        JsonNode body = health.json();
        assertThat(body.get("status").asString()).isEqualTo("ok");
        assertThat(body.get("database").asString()).isEqualTo("up");
        assertThat(body.get("redis").asString()).isEqualTo("disabled");
        assertThat(body.get("storageMode").asString()).isEqualTo("sql");

        for (String path : new String[] {"/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness"}) {
            Api.Response actuator = api.get(path);
            assertThat(actuator.status()).as(path + " " + actuator).isEqualTo(200);
            assertThat(actuator.json().get("status").asString()).as(path).isEqualTo("UP");
            assertThat(actuator.body()).as("no details for anonymous callers").doesNotContain("\"details\"");
        }
        assertThat(api.get("/actuator/health").json().get("components").get("redis").get("status").asString())
                .isEqualTo("UP");
    }
}
