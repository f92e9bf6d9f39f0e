package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.HoldfastApplication;
import io.holdfast.support.Api;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With {@code holdfast.cors.allowed-origins} set, pages of those origins may call the API from a browser (pre-flight
 * answered, the Retry-After of a 429 readable), and every other origin still gets no CORS header at all.
 */
class CorsConfiguredTest {

    private static final String SALON = "https://salon.example";
    private static ConfigurableApplicationContext server;
    private static Api api;

    @BeforeAll
    static void start() {
        server = new SpringApplicationBuilder(HoldfastApplication.class).run("--server.port=0",
                "--holdfast.demo-data=false", "--holdfast.admin.token=cors-test-admin-token",
                "--spring.datasource.url=jdbc:h2:mem:cors-${random.uuid};DB_CLOSE_DELAY=-1",
                "--holdfast.cors.allowed-origins=" + SALON + ", https://other.example");
        api = new Api("http://127.0.0.1:" + ((WebServerApplicationContext) server).getWebServer().getPort(),
                "cors-test-admin-token");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aConfiguredOriginMayBookFromTheBrowser() {
        Api.Response preflight = api.send("OPTIONS", "/api/v1/bookings", null, "Origin", SALON,
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type,idempotency-key");

        assertThat(preflight.status()).as(preflight.toString()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(SALON);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("authorization", "content-type", "idempotency-key");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).contains("3600");

        Api.Response read = api.get("/api/v1/locations", "Origin", SALON);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).contains(SALON);
        assertThat(read.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("Retry-After");
    }

    /** With origins allowed, MVC's CORS handling marks every API answer; the reads are then MVC's (EdgeAnswers). */
    @Test
    void theHotReadsCarryMvcsVaryHeaders() {
        var salon = new io.holdfast.support.Fixtures(api).salon();
        String date = java.time.LocalDate.now(salon.zone()).plusDays(2).toString();
        for (String path : new String[] {"/api/v1/live/poll?staffId=" + salon.staffId() + "&date=" + date,
                "/api/v1/availability?staffId=" + salon.staffId() + "&serviceId=" + salon.serviceId()
                        + "&date=" + date}) {
            Api.Response plain = api.get(path);
            assertThat(plain.status()).as(plain.toString()).isEqualTo(200);
            assertThat(plain.headers().allValues("Vary")).as(path).isNotEmpty()
                    .isEqualTo(api.get(path, "Accept", "application/json").headers().allValues("Vary"));
        }
    }

    @Test
    void anyOtherOriginIsStillRefused() {
        Api.Response preflight = api.send("OPTIONS", "/api/v1/bookings", null, "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST");
        Api.Response read = api.get("/api/v1/locations", "Origin", "https://evil.example");

        assertThat(preflight.status()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void thePreflightOfAnAdminCallIsAnsweredButTheCallStillNeedsTheToken() {
        Api.Response preflight = api.send("OPTIONS", "/api/v1/admin/outbox", null, "Origin", SALON,
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization");
        Api.Response call = api.get("/api/v1/admin/outbox", "Origin", SALON);

        assertThat(preflight.status()).as(preflight.toString()).isEqualTo(200);
        assertThat(call.status()).as(call.toString()).isEqualTo(401);
        assertThat(call.code()).isEqualTo("unauthorized");
    }
}
