package io.holdfast.live.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import io.holdfast.support.SseClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/** One instance with a thousand open streams on one day: every viewer gets the event; idle viewers cost little. */
@ActiveProfiles("h2")
@TestPropertySource(properties = {"holdfast.live.max-streams-per-ip=2000", "holdfast.live.max-streams=2000"})
class ThousandStreamsTest extends ServerTest {

    private static final int VIEWERS = 1000;

    @Autowired
    LiveStreams streams;

    @Test
    void aThousandViewersAllReceiveTheEvent() throws Exception {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        String url = "http://127.0.0.1:" + port + "/api/v1/live/stream?staffId=" + salon.staffId() + "&date=" + day;
        int openBefore = streams.openStreams();
        long heapBefore = usedHeapAfterGc();
        List<SseClient> viewers = new ArrayList<>();
        try {
            for (int i = 0; i < VIEWERS; i++) {
                viewers.add(SseClient.open(url));
            }
            for (SseClient viewer : viewers) {
                assertThat(viewer.awaitStatus(Duration.ofSeconds(60))).isEqualTo(200);
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (streams.openStreams() < openBefore + VIEWERS && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(streams.openStreams()).isEqualTo(openBefore + VIEWERS);
            long heapWithViewers = usedHeapAfterGc();

            assertThat(fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "10:00"))
                    .status()).isEqualTo(201);

            int received = 0;
            for (SseClient viewer : viewers) {
                SseClient.Event event = viewer.next("slot", Duration.ofSeconds(30));
                if (event != null && event.json().get("type").asString().equals("held")) {
                    received++;
                }
            }
            assertThat(received).isEqualTo(VIEWERS);
            System.out.printf("%d viewers received the event; heap per idle viewer (server and test client together)"
                    + " about %d bytes%n", received, (heapWithViewers - heapBefore) / VIEWERS);
        } finally {
            viewers.forEach(SseClient::close);
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
