package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.holdfast.support.Api;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document the server serves lists exactly the endpoints of API.md: every one of
 * {@code api-endpoints.txt} (API.md's endpoints, copied from it by hand, and the few additions it allows), none
 * missing and none more, with the query parameters API.md names. Path variables match whatever their names.
 */
@ActiveProfiles("h2")
class OpenApiMatchesApiContractTest extends ServerTest {

    private record Endpoint(String method, String path, List<String> queryParameters, boolean beyondContract) {

        /** {@code GET /api/v1/bookings/{}}: the same endpoint whatever its path variables are called. */
        String key() {
            return method + " " + path.replaceAll("\\{[^}]*}", "{}");
        }
    }

    private List<Endpoint> listed;
    private JsonNode document;

    @BeforeEach
    void load() throws IOException {
        listed = listedEndpoints();
        Api.Response docs = api.get("/v3/api-docs");
        assertThat(docs.status()).as(docs.toString()).isEqualTo(200);
        document = docs.json();
    }

    @Test
    void theListCoversApiMd() {
        // A guard on the list itself: a line lost from it would otherwise shrink what the other tests compare.
        assertThat(listed.stream().filter(e -> !e.beyondContract())).hasSize(58);
        assertThat(listed.stream().map(Endpoint::key)).doesNotHaveDuplicates();
    }

    @Test
    void everyEndpointIsDocumentedAndNoOtherIs() {
        Map<String, Endpoint> expected = new LinkedHashMap<>();
        listed.forEach(endpoint -> expected.put(endpoint.key(), endpoint));
        Set<String> documented = new TreeSet<>(documentedOperations().keySet());

        List<String> missing = expected.keySet().stream().filter(key -> !documented.contains(key)).toList();
        List<String> unlisted = documented.stream().filter(key -> !expected.containsKey(key)).toList();

        assertThat(missing.isEmpty() && unlisted.isEmpty())
                .as("The OpenAPI document and api-endpoints.txt (API.md) differ.%n"
                        + "In API.md but not documented (%d): %s%n"
                        + "Documented but not in API.md (%d): %s%n"
                        + "(add a new endpoint to API.md and api-endpoints.txt, or hide it from the document)",
                        missing.size(), missing, unlisted.size(), unlisted)
                .isTrue();
    }

    @Test
    void theDocumentDescribesTheApiAlone() {
        List<String> paths = new ArrayList<>();
        document.get("paths").propertyNames().forEach(paths::add);

        assertThat(paths).isNotEmpty().allSatisfy(path -> assertThat(path).startsWith("/api/v1/"));
    }

    @Test
    void queryParametersAreTheOnesApiMdNames() {
        Map<String, JsonNode> operations = documentedOperations();
        List<String> wrong = new ArrayList<>();
        for (Endpoint endpoint : listed) {
            JsonNode operation = operations.get(endpoint.key());
            if (operation == null) {
                continue; // reported by everyEndpointIsDocumentedAndNoOtherIs
            }
            Set<String> query = new LinkedHashSet<>();
            for (JsonNode parameter : iterable(operation.get("parameters"))) {
                if (parameter.get("in").asString().equals("query")) {
                    query.add(parameter.get("name").asString());
                }
            }
            if (!query.containsAll(endpoint.queryParameters())) {
                wrong.add(endpoint.key() + ": API.md names " + endpoint.queryParameters() + ", documented " + query);
            }
        }

        assertThat(wrong).as("endpoints whose documented query parameters lack some of API.md's").isEmpty();
    }

    /** {@code "GET /api/v1/holds/{}"} to the operation object, for every operation of the document. */
    private Map<String, JsonNode> documentedOperations() {
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            String method = operation.getKey().toUpperCase(Locale.ROOT);
            if (List.of("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE").contains(method)) {
                operations.put(new Endpoint(method, path.getKey(), List.of(), false).key(), operation.getValue());
            }
        }));
        return operations;
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        if (array != null) {
            array.forEach(nodes::add);
        }
        return nodes;
    }

    private static List<Endpoint> listedEndpoints() throws IOException {
        List<Endpoint> endpoints = new ArrayList<>();
        boolean beyond = false;
        try (InputStream in = OpenApiMatchesApiContractTest.class.getResourceAsStream("/api-endpoints.txt")) {
            assertThat(in).as("api-endpoints.txt on the test class path").isNotNull();
            for (String raw : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.equals("[beyond API.md]")) {
                    beyond = true;
                    continue;
                }
                String[] parts = line.split(" ");
                assertThat(parts.length).as("line '%s': METHOD /path [?query&parameters]", line).isBetween(2, 3);
                List<String> query = parts.length == 3 ? List.of(parts[2].replaceFirst("^\\?", "").split("&"))
                        : List.of();
                endpoints.add(new Endpoint(parts[0], parts[1], query, beyond));
            }
        }
        return endpoints;
    }
}
