package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;

/**
 * What every answer carries and what no answer lets through: security headers on successes and refusals alike
 * (including those Tomcat makes before Spring), 413 for bodies over 64 KiB whether or not they announce their
 * length, and no CORS headers for any origin when none is configured (the default).
 */
@ActiveProfiles("h2")
class WebHardeningTest extends ServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void apiAnswersCarryTheSecurityHeaders() {
        assertSecurityHeaders(api.get("/api/v1/locations"), 200);
        assertSecurityHeaders(api.get("/api/v1/nothing-here"), 404);
        assertSecurityHeaders(api.get("/api/v1/admin/bookings?date=2026-11-23"), 401);
        assertSecurityHeaders(api.post("/api/v1/auth/otp", "{\"email\": "), 400);
        assertSecurityHeaders(api.post("/api/v1/auth/otp", Map.of("email", "x".repeat(70_000) + "@example.com")), 413);
    }

    @Test
    void requestsTomcatRefusesBeforeSpringCarryThemToo() {
        Api.Response refused = api.get("/api/v1/locations", "X-Padding", "x".repeat(100_000));

        assertSecurityHeaders(refused, 400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
    }

    @Test
    void pagesOutsideTheApiMayNotBeFramedEither() {
        Api.Response page = api.get("/actuator/health");

        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void aBodyAnnouncedAsTooLargeIsRefusedUnread() {
        String body = "{\"email\":\"" + "a".repeat(65_536) + "@example.com\"}";

        Api.Response refused = api.post("/api/v1/auth/otp", body);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(413);
        assertThat(refused.code()).isEqualTo("payload_too_large");
        assertThat(refused.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aChunkedBodyThatGrowsTooLargeIsRefused() throws Exception {
        byte[] body = ("{\"email\":\"" + "a".repeat(70_000) + "@example.com\"}").getBytes(StandardCharsets.UTF_8);
        // From an InputStream the client cannot know the length: the body goes chunked, without Content-Length.
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/auth/otp"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        HttpResponse<String> refused = send(request);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(Api.JSON.readTree(refused.body()).get("code").asString()).isEqualTo("payload_too_large");
    }

    @Test
    void aChunkedBodyWithinTheLimitIsRead() throws Exception {
        byte[] body = "{\"email\":\"not an email\"}".getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/auth/otp"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        HttpResponse<String> answer = send(request);

        assertThat(answer.statusCode()).as("read and validated: %s", answer.body()).isEqualTo(400);
    }

    @Test
    void noOriginGetsCorsHeadersWhenNoneIsConfigured() {
        Api.Response preflight = api.send("OPTIONS", "/api/v1/auth/otp", null, "Origin", "https://salon.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");
        Api.Response simple = api.get("/api/v1/locations", "Origin", "https://salon.example");

        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
        assertThat(simple.status()).isEqualTo(200);
        assertThat(simple.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private static void assertSecurityHeaders(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.headers().firstValue("X-Content-Type-Options")).as("nosniff on %s", status)
                .contains("nosniff");
        assertThat(response.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(response.headers().firstValue("Content-Security-Policy"))
                .contains("default-src 'none'; frame-ancestors 'none'");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
