package io.holdfast.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Issue #16, API.md "Availability": a start whose service would overlap time the caller itself holds is
 * {@code mine}, never {@code held}; to every other client the same starts are {@code held}.
 */
@ActiveProfiles("h2")
class OwnHoldIsMineTest extends ServerTest {

    @Test
    void neighbouringStartsOverlappingTheClientsOwnHoldAreMineForItAndHeldForOthers() {
        // 60-minute service on a 30-minute grid: a hold at 10:00 covers 10:00-11:00, so 09:30 and 10:30 overlap it
        var salon = fixtures.salon("Europe/Berlin", 30, 60, 0, 0, "08:00", "18:00");
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        String holder = Fixtures.clientId();
        Api.Response hold = fixtures.hold(holder, salon.staffId(), salon.serviceId(), salon.start(day, "10:00"));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);

        assertThat(states(salon, day, holder)).containsEntry("09:00", "free").containsEntry("09:30", "mine")
                .containsEntry("10:00", "mine").containsEntry("10:30", "mine").containsEntry("11:00", "free");
        Map<String, String> other = states(salon, day, Fixtures.clientId());
        assertThat(other).containsEntry("09:00", "free").containsEntry("09:30", "held")
                .containsEntry("10:00", "held").containsEntry("10:30", "held").containsEntry("11:00", "free");
        assertThat(states(salon, day, null)).isEqualTo(other);
    }

    @Test
    void buffersCountAsTheHoldersTimeToo() {
        // 30-minute service with 15 minutes after: a hold at 10:00 occupies 10:00-10:45, which 10:30 would overlap
        var salon = fixtures.salon("Europe/Berlin", 30, 30, 0, 15, "08:00", "18:00");
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        String holder = Fixtures.clientId();
        assertThat(fixtures.hold(holder, salon.staffId(), salon.serviceId(), salon.start(day, "10:00")).status())
                .isEqualTo(201);

        assertThat(states(salon, day, holder)).containsEntry("09:30", "mine").containsEntry("10:30", "mine")
                .containsEntry("11:00", "free");
        assertThat(states(salon, day, Fixtures.clientId())).containsEntry("09:30", "held")
                .containsEntry("10:30", "held").containsEntry("11:00", "free");
    }

    private Map<String, String> states(Fixtures.Salon salon, LocalDate day, String clientId) {
        Api.Response answer = api.get("/api/v1/availability?staffId=" + salon.staffId() + "&serviceId="
                + salon.serviceId() + "&date=" + day + (clientId == null ? "" : "&clientId=" + clientId));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode slot : answer.json().get("slots")) {
            states.put(slot.get("time").asString(), slot.get("state").asString());
        }
        return states;
    }
}
