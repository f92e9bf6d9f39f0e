package io.holdfast.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;

/**
 * Server-side request forgery: with the default settings a webhook URL on a loopback, link-local or private address
 * (named directly or through a host name) is refused with a 400 that says why and which setting would allow it.
 */
@ActiveProfiles("h2")
class PrivateWebhookTargetsTest extends ServerTest {

    @Test
    void internalAddressesAreRefusedByDefaultWithAReason() {
        Map<String, String> refused = Map.of(
                "http://127.0.0.1:8080/hook", "loopback",
                "http://localhost/hook", "loopback",
                "http://[::1]/hook", "loopback",
                "http://169.254.169.254/latest/meta-data", "link-local",
                "http://10.1.2.3/hook", "private",
                "http://192.168.0.10/hook", "private",
                "http://0.0.0.0/hook", "unspecified");
        refused.forEach((url, kind) -> {
            Api.Response answer = create(url, List.of("booking.confirmed"));
            assertThat(answer.status()).as(url + ": " + answer).isEqualTo(400);
            assertThat(answer.code()).isEqualTo("validation_failed");
            assertThat(answer.json().get("detail").asString()).as(url).contains(kind)
                    .contains("server-side request forgery").contains("holdfast.webhooks.allow-private-targets=true");
        });
    }

    @Test
    void otherBadInputIsRefusedByName() {
        assertThat(create("ftp://example.com/hook", List.of("booking.confirmed")).json().get("detail").asString())
                .contains("url: expected an absolute http or https URL");
        // An address literal: the test machine may have no DNS.
        Api.Response unknownEvent = create("https://93.184.215.14/hook", List.of("booking.exploded"));
        assertThat(unknownEvent.status()).isEqualTo(400);
        assertThat(unknownEvent.json().get("detail").asString()).contains("events:").contains("booking.exploded");
        assertThat(create("https://93.184.215.14/hook", List.of()).status()).isEqualTo(400);
        Api.Response unresolved = create("https://no-such-host.invalid/hook", List.of("booking.confirmed"));
        assertThat(unresolved.status()).isEqualTo(400);
        assertThat(unresolved.json().get("detail").asString())
                .isEqualTo("url: the host no-such-host.invalid does not resolve");
    }

    @Test
    void addressKindsBeyondTheJdksOwnChecks() throws Exception {
        assertThat(WebhookTargets.internalKind(InetAddress.getByName("fd12:3456::1"))).isEqualTo("private");
        assertThat(WebhookTargets.internalKind(InetAddress.getByName("100.64.0.1"))).isEqualTo("private");
        assertThat(WebhookTargets.internalKind(InetAddress.getByName("172.16.5.4"))).isEqualTo("private");
        assertThat(WebhookTargets.internalKind(InetAddress.getByName("fe80::1"))).isEqualTo("link-local");
        assertThat(WebhookTargets.internalKind(InetAddress.getByName("93.184.215.14"))).isNull();
        assertThat(WebhookTargets.internalKind(InetAddress.getByName("2606:4700::1111"))).isNull();
    }

    private Api.Response create(String url, List<String> events) {
        return api.admin("POST", "/api/v1/admin/webhooks", Map.of("url", url, "events", events));
    }
}
