package io.holdfast.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * A day's holds and selections are read again only when its version has moved or {@link Availability#LIVE_REUSE}
 * has passed ({@code Availability.liveDay}): a change that raises the version (a hold) shows at the next read, and
 * a lease gone without a rise (as between a lapse and its announcement) shows within {@code LIVE_REUSE}, the longest
 * a reused read is kept. The lease is taken away behind the server's back, in the SQL store's table.
 */
@ActiveProfiles("h2")
class LiveReadReuseTest extends ServerTest {

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    @Test
    void aDaysHoldsAreReadAgainWhenItsVersionMovesAndAtTheLatestAfterTheReuseTime() {
        clock.pin(Instant.now());
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        String viewer = Fixtures.clientId();
        assertThat(states(salon, day, viewer)).containsEntry("10:00", "free").containsEntry("11:00", "free");

        Api.Response held = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "10:00"));
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        assertThat(states(salon, day, viewer)).as("the hold raised the day's version").containsEntry("10:00", "held");

        int taken = jdbc.sql("DELETE FROM held_granule WHERE staff_id = ?").param(salon.staffId()).update();
        assertThat(taken).isPositive();
        assertThat(states(salon, day, viewer)).as("the version stands: the last read is reused")
                .containsEntry("10:00", "held");

        clock.advance(Availability.LIVE_REUSE);
        assertThat(states(salon, day, viewer)).as("read again once the reuse time is over")
                .containsEntry("10:00", "free");

        Api.Response another = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "11:00"));
        assertThat(another.status()).as(another.toString()).isEqualTo(201);
        assertThat(states(salon, day, viewer)).as("within the reuse time, but the version moved")
                .containsEntry("11:00", "held").containsEntry("10:00", "free");
    }

    /**
     * A day answered again ({@code Availability.day} gives the same answer while what it was made from is the same)
     * still follows the clock, whose passing takes starts away (here within one live read), and each client's own view: a hold is {@code mine}
     * to its client and {@code held} to everyone else, in whichever order they ask.
     */
    @Test
    void aDayAnsweredAgainFollowsTheClockAndTheClientAsking() {
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(1);
        clock.pin(salon.at(day, "09:30").toInstant().minusMillis(300));
        String holder = Fixtures.clientId();
        String other = Fixtures.clientId();
        assertThat(states(salon, day, other)).doesNotContainKey("09:00").containsEntry("09:30", "free")
                .containsEntry("10:00", "free");
        Api.Response held = fixtures.hold(holder, salon.staffId(), salon.serviceId(), salon.start(day, "11:00"));
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        for (int round = 0; round < 2; round++) {
            assertThat(states(salon, day, holder)).as("round %d", round).containsEntry("11:00", "mine");
            assertThat(states(salon, day, other)).as("round %d", round).containsEntry("11:00", "held");
        }

        // Less than LIVE_REUSE: the live read is the same, only the clock moved past 09:30.
        clock.advance(java.time.Duration.ofMillis(500));
        assertThat(states(salon, day, other)).as("at 09:30:00.2").doesNotContainKey("09:30")
                .containsEntry("10:00", "free").containsEntry("11:00", "held");
        assertThat(states(salon, day, holder)).as("at 09:30:00.2").doesNotContainKey("09:30")
                .containsEntry("11:00", "mine");
    }

    private Map<String, String> states(Fixtures.Salon salon, LocalDate day, String clientId) {
        Api.Response answer = api.get("/api/v1/availability?staffId=" + salon.staffId() + "&serviceId="
                + salon.serviceId() + "&date=" + day + "&clientId=" + clientId);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode slot : answer.json().get("slots")) {
            states.put(slot.get("time").asString(), slot.get("state").asString());
        }
        return states;
    }
}
