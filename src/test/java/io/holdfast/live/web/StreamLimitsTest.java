package io.holdfast.live.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;

import io.holdfast.support.ServerTest;
import io.holdfast.support.SseClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * Streams are limited per address and per server (429 with Retry-After), and a closed stream frees its place (the
 * server learns of a vanished client at its next write: the heartbeat, every 15 s in production, 0.5 s here).
 */
@ActiveProfiles("h2")
@TestPropertySource(properties = {"holdfast.live.max-streams-per-ip=3", "holdfast.live.max-streams=1000",
        "holdfast.live.heartbeat=500ms"})
class StreamLimitsTest extends ServerTest {

    @Autowired
    LiveStreams streams;

    @Test
    void theFourthStreamFromOneAddressIsRefusedUntilOneCloses() throws Exception {
        var salon = fixtures.salon();
        String path = "/api/v1/live/stream?staffId=" + salon.staffId() + "&date=" + LocalDate.now(salon.zone()).plusDays(1);
        String url = "http://127.0.0.1:" + port + path;
        try (SseClient first = SseClient.open(url); SseClient second = SseClient.open(url);
                SseClient third = SseClient.open(url)) {
            for (SseClient open : new SseClient[] {first, second, third}) {
                assertThat(open.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            }
            var refused = api.get(path, "Accept", "text/event-stream");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.code()).isEqualTo("rate_limited");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();

            first.close();
            long deadline = System.currentTimeMillis() + 30_000;
            int status = 0;
            while (status != 200 && System.currentTimeMillis() < deadline) {
                try (SseClient again = SseClient.open(url)) {
                    status = again.awaitStatus(Duration.ofSeconds(10));
                }
                if (status != 200) {
                    Thread.sleep(100);
                }
            }
            assertThat(status).as("a place freed by a closed stream").isEqualTo(200);
        }
    }

    @Test
    void aStreamForAnUnknownStaffMemberIsA404() {
        assertThat(api.get("/api/v1/live/stream?staffId=999999&date=2030-01-01").code()).isEqualTo("not_found");
    }
}
