package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Instance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.JsonNode;

/**
 * A server started with the one log-format switch ({@code HOLDFAST_LOG_FORMAT=ecs}) writes JSON lines that carry
 * the id of the request they were written for; the id is the caller's when it is plain, a new one otherwise, and
 * is echoed in every answer.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestIdTest {

    private static Instance server;
    private static Api api;

    @BeforeAll
    static void start() {
        // Logback is configured once per JVM and a new context leaves it alone while it is initialised (other test
        // contexts may be open): hand it back, so this server configures it with its own settings.
        loggingSystem().cleanUp();
        server = Instance.start("--HOLDFAST_LOG_FORMAT=ecs",
                "--spring.datasource.url=jdbc:h2:mem:request-ids-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
        // The logging system is the JVM's: give the rest of the run its plain text lines back.
        System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
        LoggingSystem logging = loggingSystem();
        logging.cleanUp();
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
    }

    private static LoggingSystem loggingSystem() {
        return LoggingSystem.get(RequestIdTest.class.getClassLoader());
    }

    @Test
    void logLinesOfARequestCarryItsIdAsJson(CapturedOutput output) {
        Fixtures fixtures = server.fixtures();
        var salon = fixtures.salon();
        String email = "request-ids@example.com";
        String session = fixtures.session(email);
        JsonNode hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(LocalDate.now(salon.zone()).plusDays(2), "10:00")).json();
        String requestId = "booking-" + UUID.randomUUID();

        Api.Response booked = api.post("/api/v1/bookings", Map.of("holdId", hold.get("holdId").asString(),
                "holdToken", hold.get("token").asString(), "customer", Map.of("name", "Customer", "email", email)),
                "Idempotency-Key", UUID.randomUUID().toString(), "Authorization", "Bearer " + session,
                "X-Request-Id", requestId);

        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        assertThat(booked.headers().firstValue("X-Request-Id")).hasValue(requestId);
        String bookingId = booked.json().get("bookings").get(0).get("id").asString();
        List<JsonNode> lines = output.getOut().lines().filter(line -> line.startsWith("{")).map(Api.JSON::readTree)
                .filter(line -> line.toString().contains(requestId)).toList();
        assertThat(lines).as("JSON log lines of the booking request").isNotEmpty();
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.findValue("requestId").asString()).isEqualTo(requestId);
            assertThat(line.findValue("message").asString()).contains("Booking " + bookingId + " confirmed");
        });
    }

    @Test
    void idIsGeneratedWhenMissingAndReplacedWhenUnsafe() {
        Api.Response plain = api.get("/api/v1/health");
        String generated = plain.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(generated).matches("[0-9a-f-]{36}");
        assertThat(api.get("/api/v1/health").headers().firstValue("X-Request-Id")).isNotEqualTo(generated);

        for (String unsafe : List.of("a b", "<script>", "x".repeat(65), "id\",\"level\":\"ERROR", "id;rm -rf")) {
            Api.Response response = api.get("/api/v1/health", "X-Request-Id", unsafe);
            String echoed = response.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(echoed).as(unsafe).isNotEqualTo(unsafe).matches("[0-9a-f-]{36}");
        }

        Api.Response refused = api.get("/api/v1/bookings/" + UUID.randomUUID(), "X-Request-Id", "trace-42");
        assertThat(refused.status()).isBetween(400, 499);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.headers().firstValue("X-Request-Id")).as("refusals carry it too").hasValue("trace-42");
    }
}
