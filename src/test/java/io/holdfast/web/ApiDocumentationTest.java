package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.holdfast.support.Api;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * The API documents itself: the OpenAPI document and Swagger UI are open to anyone (they describe, they do not
 * act), the page loads every script and style it names under its own Content-Security-Policy, and the document
 * says which credential each endpoint needs and how each refuses.
 */
@ActiveProfiles("h2")
class ApiDocumentationTest extends ServerTest {

    private static final Pattern ASSET = Pattern.compile("<(?:script|link)\\b[^>]*?\\b(?:src|href)=\"([^\"]+)\"");
    private static final Pattern SCRIPT_TAG = Pattern.compile("<script\\b([^>]*)>");

    @Test
    void swaggerUiLoadsWithEveryAssetItNamesWithoutAToken() {
        Api.Response entry = api.get("/swagger-ui.html");
        assertThat(entry.status()).as(entry.toString()).isIn(200, 302);
        URI pageUri = URI.create(api.base() + "/swagger-ui.html")
                .resolve(entry.status() == 302 ? entry.headers().firstValue("Location").orElseThrow() : "");

        Api.Response page = api.get(pageUri.getRawPath());
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("swagger-ui");

        List<String> assets = new ArrayList<>();
        Matcher matcher = ASSET.matcher(page.body());
        while (matcher.find()) {
            assets.add(matcher.group(1));
        }
        assertThat(assets).as("scripts and styles of the page")
                .anyMatch(asset -> asset.endsWith(".js")).anyMatch(asset -> asset.endsWith(".css"));
        for (String asset : assets) {
            URI resolved = pageUri.resolve(asset);
            assertThat(resolved.getHost()).as("%s comes from the server itself (the policy allows nothing else)", asset)
                    .isEqualTo(pageUri.getHost());
            Api.Response loaded = api.get(resolved.getRawPath());
            assertThat(loaded.status()).as("%s: %s", resolved, loaded.status()).isEqualTo(200);
            if (asset.endsWith(".js")) {
                assertThat(loaded.contentType()).as(asset).contains("javascript");
            } else if (asset.endsWith(".css")) {
                assertThat(loaded.contentType()).as(asset).startsWith("text/css");
            }
        }
    }

    @Test
    void swaggerUiFindsTheDocumentThroughItsConfiguration() {
        Api.Response initializer = api.get("/swagger-ui/swagger-initializer.js");
        assertThat(initializer.status()).isEqualTo(200);
        assertThat(initializer.body()).contains("/v3/api-docs/swagger-config");

        Api.Response config = api.get("/v3/api-docs/swagger-config");
        assertThat(config.status()).as(config.toString()).isEqualTo(200);
        String documentUrl = config.json().get("url").asString();
        assertThat(documentUrl).isEqualTo("/v3/api-docs");
        assertThat(api.get(documentUrl).status()).isEqualTo(200);
    }

    /**
     * The page's own policy allows scripts from its origin only, so it must have no inline script (no browser runs
     * here to report a violation: this is what would cause one). Styles inline and data: images are allowed there.
     */
    @Test
    void swaggerUiHasItsOwnPolicyAndNeedsNoInlineScript() {
        Api.Response page = api.get("/swagger-ui/index.html");

        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertThat(policy).isEqualTo(SecurityHeaders.SWAGGER_UI_POLICY)
                .contains("script-src 'self';", "frame-ancestors 'none'").doesNotContain("unsafe-eval");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        Matcher scripts = SCRIPT_TAG.matcher(page.body());
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(1)).as("every script of the page is a file").contains("src=");
        }
        assertThat(count).isPositive();
        assertThat(page.body()).doesNotContainPattern("\\son[a-z]+=");

        assertThat(api.get("/swagger-ui/swagger-ui-bundle.js").headers().firstValue("Content-Security-Policy"))
                .contains(SecurityHeaders.SWAGGER_UI_POLICY);
    }

    @Test
    void theDocumentIsOpenAndCarriesTheApisHeaders() {
        Api.Response docs = api.get("/v3/api-docs");

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.contentType()).startsWith("application/json");
        assertThat(docs.headers().firstValue("Content-Security-Policy")).contains(SecurityHeaders.API_POLICY);
        assertThat(docs.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        JsonNode info = docs.json().get("info");
        assertThat(info.get("title").asString()).contains("Holdfast");
        assertThat(info.get("version").asString()).isNotBlank();
    }

    @Test
    void adminEndpointsNeedTheBearerTokenInTheDocumentAsOnTheWire() {
        JsonNode document = api.get("/v3/api-docs").json();
        JsonNode scheme = document.at("/components/securitySchemes/bearerAuth");
        assertThat(scheme.get("type").asString()).isEqualTo("http");
        assertThat(scheme.get("scheme").asString()).isEqualTo("bearer");

        List<String> admin = new ArrayList<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            boolean adminPath = path.getKey().startsWith("/api/v1/admin/");
            JsonNode security = operation.getValue().get("security");
            String requirement = security == null ? "none" : security.toString();
            if (adminPath) {
                admin.add(operation.getKey() + " " + path.getKey());
                assertThat(requirement).as("%s %s", operation.getKey(), path.getKey())
                        .isEqualTo("[{\"bearerAuth\":[]}]");
                assertThat(operation.getValue().at("/responses/401/x-problem-codes").toString())
                        .contains("unauthorized");
                assertThat(operation.getValue().at("/responses/403/x-problem-codes").toString()).contains("forbidden");
            } else {
                assertThat(requirement).as("%s %s needs no admin token alone", operation.getKey(), path.getKey())
                        .isNotEqualTo("[{\"bearerAuth\":[]}]");
            }
        }));
        assertThat(admin).hasSizeGreaterThanOrEqualTo(14);

        // What the document promises holds: the admin API still refuses a caller without the token.
        assertThat(api.get("/api/v1/admin/outbox").status()).isEqualTo(401);
    }

    @Test
    void guestCredentialsAreSecurityRequirementsNotParameters() {
        JsonNode paths = api.get("/v3/api-docs").json().get("paths");

        assertThat(paths.at("/~1api~1v1~1bookings/post/security").toString()).isEqualTo("[{\"guestSession\":[]}]");
        assertThat(paths.at("/~1api~1v1~1bookings~1{id}/get/security").toString())
                .contains("guestSession", "manageToken", "bearerAuth");
        assertThat(paths.at("/~1api~1v1~1auth~1session/delete/security").toString())
                .isEqualTo("[{\"guestSession\":[]}]");
        assertThat(paths.toString()).doesNotContain("\"name\":\"Authorization\"", "\"name\":\"Manage-Token\"");
        assertThat(paths.at("/~1api~1v1~1bookings/post/parameters").toString()).contains("Idempotency-Key");
    }

    @Test
    void refusalsAreProblemJsonWithTheirCodes() {
        JsonNode document = api.get("/v3/api-docs").json();
        List<String> allCodes = new ArrayList<>();
        document.at("/components/schemas/Problem/properties/code/enum").forEach(code -> allCodes.add(code.asString()));
        assertThat(allCodes).contains("validation_failed", "slot_held", "idempotency_key_reused", "rate_limited",
                "payload_too_large");

        List<String> statuses = new ArrayList<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation ->
                operation.getValue().get("responses").properties().forEach(response -> {
                    JsonNode codes = response.getValue().get("x-problem-codes");
                    if (codes == null) {
                        return;
                    }
                    statuses.add(response.getKey());
                    assertThat(response.getValue().at("/content/application~1problem+json/schema/$ref").asString())
                            .isEqualTo("#/components/schemas/Problem");
                    codes.forEach(code -> assertThat(allCodes).contains(code.asString()));
                })));
        assertThat(statuses).contains("400", "401", "403", "404", "409", "410", "413", "422", "429");

        JsonNode hold = document.at("/paths/~1api~1v1~1holds/post/responses");
        assertThat(hold.at("/409/x-problem-codes").toString()).contains("slot_held", "slot_booked",
                "slot_unavailable", "hold_limit_reached");
        assertThat(hold.has("201")).isTrue();
        assertThat(hold.at("/413/x-problem-codes").toString()).contains("payload_too_large");
        JsonNode otp = document.at("/paths/~1api~1v1~1auth~1otp/post/responses");
        assertThat(otp.has("202")).isTrue();
        assertThat(otp.at("/429/headers").has("Retry-After")).isTrue();
        assertThat(document.at("/paths/~1api~1v1~1bookings/post/responses/422/x-problem-codes").toString())
                .contains("idempotency_key_reused");
    }

    @Test
    void parametersWhoseNamesAreNotEnoughAreDescribed() {
        JsonNode availability = api.get("/v3/api-docs").json().at("/paths/~1api~1v1~1availability/get/parameters");
        Map<String, String> descriptions = new java.util.HashMap<>();
        availability.forEach(parameter -> descriptions.put(parameter.get("name").asString(),
                parameter.has("description") ? parameter.get("description").asString() : ""));

        assertThat(descriptions.get("clientId")).contains("8-64");
        assertThat(descriptions.get("date")).contains("YYYY-MM-DD");
    }
}
