package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;

/**
 * With the connections' small socket buffers ({@link ConnectionBuffers}), what the API promises still holds: headers
 * up to Tomcat's 8 KiB, bodies up to the 64 KiB limit read whole, and answers many times the write buffer arrive
 * whole.
 */
@ActiveProfiles("h2")
class ConnectionBuffersTest extends ServerTest {

    @Test
    void aHeaderNear8KibIsAccepted() {
        Api.Response answer = api.get("/api/v1/locations", "X-Large", "h".repeat(7_000));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    @Test
    void aBodyNearTheLimitIsReadWholeAndJudgedByItsContent() {
        // 60 KiB of JSON: every byte must be read for the validation to see the field (a partial read is a 400 for
        // malformed JSON with another message, an unread one a 413 or 500)
        Api.Response answer = api.post("/api/v1/auth/otp", Map.of("email", "x".repeat(60_000) + "@example.com"));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.code()).isEqualTo("validation_failed");
        assertThat(answer.body()).contains("email");
    }

    @Test
    void anAnswerManyTimesTheWriteBufferArrivesWhole() {
        Api.Response docs = api.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().length()).isGreaterThan(20 * ConnectionBuffers.WRITE_BYTES);
        assertThat(docs.json().get("paths").has("/api/v1/live/stream")).isTrue();
    }
}
