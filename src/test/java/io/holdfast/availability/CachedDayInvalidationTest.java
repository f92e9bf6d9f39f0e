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

/**
 * A booking invalidates every cached day whose slots it touches, not only its own: here a booking at midnight whose
 * buffer reaches back into the evening before.
 */
@ActiveProfiles("h2")
class CachedDayInvalidationTest extends ServerTest {

    @Test
    void aBookingAtMidnightShowsOnTheCachedDayBeforeThroughItsBuffer() {
        var salon = fixtures.salon("Europe/Berlin", 30, 30, 30, 30, "00:00", "23:30");
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        assertThat(states(salon, day.minusDays(1))).containsEntry("23:00", "free");
        assertThat(states(salon, day.minusDays(1))).containsEntry("23:00", "free");

        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "00:00"));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        assertThat(fixtures.book(hold.json(), "midnight@example.com").status()).isEqualTo(201);

        assertThat(states(salon, day.minusDays(1))).as("the evening before").containsEntry("23:00", "booked")
                .containsEntry("22:00", "free");
        assertThat(states(salon, day)).containsEntry("00:00", "booked").containsEntry("01:30", "free");
    }

    private Map<String, String> states(Fixtures.Salon salon, LocalDate day) {
        Api.Response response = api.get("/api/v1/availability?staffId=" + salon.staffId() + "&serviceId="
                + salon.serviceId() + "&date=" + day);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        Map<String, String> states = new LinkedHashMap<>();
        response.json().get("slots").forEach(slot -> states.put(slot.get("time").asString(),
                slot.get("state").asString()));
        return states;
    }
}
