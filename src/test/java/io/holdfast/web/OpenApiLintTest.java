package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.holdfast.support.Api;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document passes Redocly CLI's recommended rules with no error and no warning, so code generators and
 * API portals take it as it is. The linter is the project-local install that {@code scripts/test.sh} makes
 * ({@code tools/node_modules}, version pinned by {@code tools/package-lock.json}); without it this test fails
 * and says how to install it, rather than skipping.
 */
@ActiveProfiles("h2")
class OpenApiLintTest extends ServerTest {

    private static final Path TOOLS = Path.of("tools");
    private static final Path REDOCLY = TOOLS.resolve("node_modules/@redocly/cli/bin/cli.js");

    @Test
    void redoclyRecommendedRulesFindNothing(@TempDir Path dir) throws Exception {
        assertThat(REDOCLY).as("Redocly CLI is missing: run scripts/test.sh, or npm ci --prefix tools").exists();
        Api.Response document = api.get("/v3/api-docs");
        assertThat(document.status()).as(document.toString()).isEqualTo(200);
        Path file = dir.resolve("api-docs.json");
        Files.writeString(file, document.body(), StandardCharsets.UTF_8);

        Path report = dir.resolve("lint.json");
        List<String> command = new ArrayList<>(List.of("node", REDOCLY.toString(), "lint", file.toString(),
                "--config", TOOLS.resolve("redocly.yaml").toString(), "--format", "json"));
        ProcessBuilder linter = new ProcessBuilder(command).redirectOutput(report.toFile())
                .redirectError(dir.resolve("lint.err").toFile());
        // Loopback only: no usage report, no look-up of newer versions.
        linter.environment().put("REDOCLY_TELEMETRY", "off");
        linter.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        Process process = linter.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the linter finished within 2 minutes").isTrue();

        String output = Files.readString(report, StandardCharsets.UTF_8);
        String errors = Files.readString(dir.resolve("lint.err"), StandardCharsets.UTF_8);
        JsonNode result = parse(output, errors);
        List<String> problems = new ArrayList<>();
        result.path("problems").forEach(problem -> problems.add(problem.path("severity").asString() + " "
                + problem.path("ruleId").asString() + ": " + problem.path("message").asString() + " at "
                + problem.at("/location/0/pointer").asString()));
        assertThat(problems).as("Redocly lint of /v3/api-docs").isEmpty();
        assertThat(result.at("/totals/errors").asInt(-1)).isZero();
        assertThat(result.at("/totals/warnings").asInt(-1)).isZero();
        assertThat(process.exitValue()).as(errors).isZero();
    }

    private static JsonNode parse(String output, String errors) throws IOException {
        int start = output.indexOf('{');
        assertThat(start).as("the linter wrote a JSON report; it said: %s %s", output, errors).isGreaterThanOrEqualTo(0);
        return Api.JSON.readTree(output.substring(start));
    }
}
