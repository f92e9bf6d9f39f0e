package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import io.holdfast.support.Api;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;

/**
 * Issue #15, finding 8: what anonymous callers learn from the operator endpoints. The health answer names the
 * instance by an opaque id (not pid@host), and no cache may keep the metrics, which still answer.
 */
@ActiveProfiles("h2")
class OperatorEndpointsExposureTest extends ServerTest {

    @Test
    void theHealthAnswerNamesNeitherTheHostNorTheProcess() throws Exception {
        Api.Response health = api.get("/api/v1/health");
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        String instanceId = health.json().get("instanceId").asString();

        // The server runs in this JVM: its pid and host are this process's.
        assertThat(instanceId).matches("[0-9a-f-]{13}")
                .doesNotContain(Long.toString(ProcessHandle.current().pid()))
                .doesNotContain("@")
                .doesNotContainIgnoringCase(InetAddress.getLocalHost().getHostName());
        assertThat(api.get("/api/v1/health").json().get("instanceId").asString())
                .as("the same instance keeps its id").isEqualTo(instanceId);
    }

    @Test
    void metricsAnswerButNoCacheMayKeepThem() {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.threads.live",
                "/actuator/health"}) {
            Api.Response answer = api.get(path);
            assertThat(answer.status()).as(path + " " + answer).isEqualTo(200);
            assertThat(answer.headers().firstValue("Cache-Control")).as(path).contains("no-store");
        }
    }
}
