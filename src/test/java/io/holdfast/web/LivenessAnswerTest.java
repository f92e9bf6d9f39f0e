package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.PrometheusText;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ActiveProfiles;

/**
 * The liveness probe answered at the edge says what the actuator says, in both liveness states: each plain probe
 * (no {@code Accept}) is compared with the actuator's own answer, asked for by content type, which the edge leaves to
 * the actuator.
 */
@ActiveProfiles("h2")
class LivenessAnswerTest extends ServerTest {

    @Autowired
    private ApplicationContext context;

    @Autowired
    private Environment environment;

    @Test
    void answersAsTheActuatorDoesWhileAliveAndWhileBroken() {
        assertSameAnswer(200, "UP");
        AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
        try {
            assertSameAnswer(503, "DOWN");
        } finally {
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
        }
        assertSameAnswer(200, "UP");
    }

    @Test
    void plainProbesNeverReachTheActuator() throws InterruptedException {
        // MVC records a request just after its answer is sent: each count is awaited, never assumed to be there.
        double before = actuatorAnswered(actuatorLivenessRequests());
        for (int i = 0; i < 5; i++) {
            assertThat(api.get(LivenessAnswer.PATH).status()).isEqualTo(200);
        }
        assertThat(actuatorAnswered(before)).as("five plain probes, then one asked by content type: only that one is MVC's")
                .isEqualTo(before + 1);
    }

    /** Asks the actuator itself, then waits until MVC has counted more than {@code seen} requests of the path. */
    private double actuatorAnswered(double seen) throws InterruptedException {
        assertThat(api.get(LivenessAnswer.PATH, "Accept", LivenessAnswer.CONTENT_TYPE).status()).isEqualTo(200);
        long deadline = System.nanoTime() + 10_000_000_000L;
        double now = actuatorLivenessRequests();
        while (now <= seen && System.nanoTime() < deadline) {
            Thread.sleep(20);
            now = actuatorLivenessRequests();
        }
        return now;
    }

    /** The requests of the health endpoint's paths that MVC served, from http.server.requests. */
    private double actuatorLivenessRequests() {
        Api.Response scraped = api.get("/actuator/prometheus");
        assertThat(scraped.status()).as(scraped.toString()).isEqualTo(200);
        // The actuator's health paths are one template ("/actuator/health/{*path}"), whatever its spelling.
        return PrometheusText.parse(scraped.body()).samples("http_server_requests_seconds_count").stream()
                .filter(sample -> sample.labels().getOrDefault("uri", "").startsWith("/actuator/health"))
                .mapToDouble(PrometheusText.Sample::value).sum();
    }

    @Test
    void otherRequestsOfThePathAreTheActuatorsToAnswer() {
        assertThat(api.send("HEAD", LivenessAnswer.PATH, null).status()).isEqualTo(200);
        Api.Response json = api.get(LivenessAnswer.PATH, "Accept", "application/json");
        assertThat(json.contentType()).startsWith("application/json");
        assertThat(api.get(LivenessAnswer.PATH, "Accept", "text/plain").status()).isEqualTo(406);
        assertThat(api.post(LivenessAnswer.PATH, Map.of()).status()).isEqualTo(405);
    }

    @Test
    void onlyForTheSettingsApplicationYmlShips() {
        assertThat(LivenessAnswer.shippedSettings(Binder.get(environment))).as("this server's settings").isTrue();
        Map<String, String> shipped = Map.of(
                "management.endpoint.health.probes.enabled", "true",
                "management.endpoint.health.show-components", "always",
                "management.endpoint.health.show-details", "never",
                "management.endpoint.health.status.http-mapping.down", "503",
                "management.endpoint.health.group.liveness.include", "livenessState");
        assertThat(LivenessAnswer.shippedSettings(binder(shipped, Map.of()))).isTrue();
        Map<String, String> changes = Map.of(
                "management.endpoint.health.group.liveness.include", "livenessState,ping",
                "management.endpoint.health.show-components", "never",
                "management.endpoint.health.show-details", "always",
                "management.endpoint.health.status.http-mapping.down", "500",
                "management.server.port", "9090",
                "management.endpoints.web.base-path", "/manage",
                "server.servlet.context-path", "/booking",
                "management.endpoint.health.group.liveness.show-details", "always");
        changes.forEach((name, value) -> assertThat(LivenessAnswer.shippedSettings(binder(shipped, Map.of(name, value))))
                .as(name + "=" + value).isFalse());
    }

    private void assertSameAnswer(int status, String health) {
        Api.Response probe = api.get(LivenessAnswer.PATH);
        Api.Response actuator = api.get(LivenessAnswer.PATH, "Accept", LivenessAnswer.CONTENT_TYPE);
        assertThat(probe.status()).as(probe.toString()).isEqualTo(status);
        assertThat(probe.json().get("status").asString()).isEqualTo(health);
        assertThat(probe.contentType()).isEqualTo(actuator.contentType()).isEqualTo(LivenessAnswer.CONTENT_TYPE);
        assertThat(probe.status()).isEqualTo(actuator.status());
        assertThat(probe.body()).isEqualTo(actuator.body());
        assertThat(probe.headers().firstValue("X-Request-Id")).as("request id").isPresent();
        assertThat(probe.headers().firstValue("Cache-Control")).as("security headers").hasValue("no-store");
    }

    private static Binder binder(Map<String, String> shipped, Map<String, String> changed) {
        Map<String, String> settings = new HashMap<>(shipped);
        settings.putAll(changed);
        return new Binder(new MapConfigurationPropertySource(settings));
    }
}
