package io.holdfast.live.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.holdfast.support.Api;
import io.holdfast.support.ServerTest;
import io.holdfast.support.SseClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue #15, finding 3: event streams cannot take every connection. With Tomcat's connection limit set low (40),
 * the stream cap is derived from it (30, leaving 10), so streams opened from ever new addresses (rotating
 * X-Forwarded-For) are refused with 429 and Retry-After once it is reached while ordinary requests still answer;
 * and the per-address limit counts an IPv6 client's whole /64.
 */
@ActiveProfiles("h2")
@TestPropertySource(properties = {"server.tomcat.max-connections=40", "holdfast.live.max-streams-per-ip=2",
        "holdfast.live.heartbeat=500ms"})
class StreamCapTest extends ServerTest {

    @Autowired
    LiveStreams streams;

    private String url;
    private final List<SseClient> opened = new ArrayList<>();

    @BeforeEach
    void noStreamsOpen() throws InterruptedException {
        var salon = fixtures.salon();
        url = "http://127.0.0.1:" + port + "/api/v1/live/stream?staffId=" + salon.staffId() + "&date="
                + LocalDate.now(salon.zone()).plusDays(1);
        // Streams of an earlier test are noticed gone at the next heartbeat (0.5 s here).
        long deadline = System.currentTimeMillis() + 20_000;
        while (streams.openStreams() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(streams.openStreams()).isZero();
    }

    @org.junit.jupiter.api.AfterEach
    void closeStreams() {
        opened.forEach(SseClient::close);
    }

    @Test
    void streamsFromRotatingAddressesStopAtTheCapAndOrdinaryRequestsStillAnswer() throws Exception {
        assertThat(streams.maxStreams()).as("three quarters of 40 connections").isEqualTo(30);

        // The attack: as many streams as the server has connections, each from a new address. One at a time, so
        // that the client reuses the connection of a refused request instead of opening more of its own.
        int accepted = 0;
        List<Api.Response> refusals = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            SseClient stream = open("198.18.200." + i);
            int status = stream.awaitStatus(Duration.ofSeconds(10));
            if (status == 200) {
                accepted++;
            } else {
                assertThat(status).isEqualTo(429);
            }
        }
        assertThat(accepted).as("streams beyond the cap are refused").isEqualTo(30);
        assertThat(streams.openStreams()).isEqualTo(30);

        Api.Response refused = api.get(url.substring(url.indexOf("/api")), "Accept", "text/event-stream",
                "X-Forwarded-For", "198.18.201.1");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("rate_limited");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();

        // The legitimate use beside it: ordinary requests, several at once, still answer while the cap is reached.
        List<CompletableFuture<Api.Response>> ordinary = new ArrayList<>();
        for (String path : new String[] {"/api/v1/locations", "/api/v1/health", "/api/v1/locations",
                "/api/v1/health", "/api/v1/locations"}) {
            ordinary.add(CompletableFuture.supplyAsync(() -> api.get(path)));
        }
        for (CompletableFuture<Api.Response> answer : ordinary) {
            Api.Response response = answer.get(30, TimeUnit.SECONDS);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
        }
        // ... and a stream may open again once one closes.
        opened.get(0).close();
        long deadline = System.currentTimeMillis() + 10_000;
        while (streams.openStreams() >= 30 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(open("198.18.201.2").awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
    }

    @Test
    void anIpv6ClientsWholeSlash64CountsAsOneAddress() throws Exception {
        assertThat(open("2001:db8:1:2::1").awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
        assertThat(open("2001:db8:1:2::ffff").awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
        assertThat(open("2001:db8:1:2:abcd:ef01:2345:6789").awaitStatus(Duration.ofSeconds(10)))
                .as("a third stream from the same /64").isEqualTo(429);

        assertThat(open("2001:db8:1:3::1").awaitStatus(Duration.ofSeconds(10))).as("another /64").isEqualTo(200);
        assertThat(open("198.18.202.1").awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
        assertThat(open("198.18.202.2").awaitStatus(Duration.ofSeconds(10))).as("IPv4: per address").isEqualTo(200);
        assertThat(open("198.18.202.1").awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
        assertThat(open("198.18.202.1").awaitStatus(Duration.ofSeconds(10))).isEqualTo(429);
    }

    private SseClient open(String clientAddress) {
        SseClient stream = SseClient.open(url, "X-Forwarded-For", clientAddress);
        opened.add(stream);
        return stream;
    }
}
