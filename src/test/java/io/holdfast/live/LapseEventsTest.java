package io.holdfast.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Map;

import io.holdfast.support.Fixtures;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.ServerTest;
import io.holdfast.support.SseClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/** Viewers learn that a hold or a selection ran out: `expired` and `unselected` events, soon after the fact. */
@ActiveProfiles("h2")
@PrivateRedis
@TestPropertySource(properties = {"holdfast.hold.ttl=3s", "holdfast.hold.selection-ttl=2s"})
class LapseEventsTest extends ServerTest {

    @Test
    void aHoldThatLapsesIsAnnouncedAsExpiredWithinTwoSecondsOfItsExpiry() throws Exception {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        try (SseClient viewer = SseClient.open(streamUrl(salon.staffId(), day))) {
            assertThat(viewer.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            var hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "09:00"));
            assertThat(hold.status()).isEqualTo(201);
            Instant expiresAt = OffsetDateTime.parse(hold.json().get("expiresAt").asString()).toInstant();

            SseClient.Event expired = nextOfType(viewer, "expired", Duration.ofSeconds(30));
            Instant received = expired.receivedAt();

            assertThat(expired.json().get("times").get(0).asString()).isEqualTo("09:00");
            // expiresAt is given to the second; the lease itself ends within that second
            assertThat(Duration.between(expiresAt, received)).isLessThan(Duration.ofSeconds(3));
            System.out.printf("expired event %d ms after the hold's expiresAt%n",
                    Duration.between(expiresAt, received).toMillis());
        }
    }

    @Test
    void aSelectionThatIsNotRenewedIsAnnouncedAsUnselected() throws Exception {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        try (SseClient viewer = SseClient.open(streamUrl(salon.staffId(), day))) {
            assertThat(viewer.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            assertThat(api.put("/api/v1/selections", Map.of("staffId", salon.staffId(), "date", day.toString(),
                    "time", "11:00", "clientId", Fixtures.clientId())).status()).isEqualTo(204);

            assertThat(nextOfType(viewer, "selected", Duration.ofSeconds(30)).json().get("times").get(0).asString())
                    .isEqualTo("11:00");
            SseClient.Event unselected = nextOfType(viewer, "unselected", Duration.ofSeconds(30));
            assertThat(unselected.json().get("times").get(0).asString()).isEqualTo("11:00");
        }
    }

    private String streamUrl(long staffId, LocalDate day) {
        return "http://127.0.0.1:" + port + "/api/v1/live/stream?staffId=" + staffId + "&date=" + day;
    }

    static SseClient.Event nextOfType(SseClient viewer, String type, Duration timeout) throws InterruptedException {
        return viewer.nextSlot(type, timeout);
    }
}
