package io.holdfast.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * A day's bookable starts follow the clock although the server works them out once and answers them again while
 * they stand: the earliest start goes the moment the minimum notice reaches it, and at the location's midnight the
 * day just past closes and the day at the end of the booking window opens. Asked again and again in between, as a
 * page does.
 */
@ActiveProfiles("h2")
class StartsAsTimePassesTest extends ServerTest {

    private static final int NOTICE_MINUTES = 60;

    /** Open 09:00-12:00 every day in Berlin, hourly starts, an hour's notice, two days ahead. */
    private Fixtures.Salon salon() {
        long location = fixtures.location("Europe/Berlin", 60, NOTICE_MINUTES, 2, 0);
        long service = fixtures.service(60, 0, 0);
        long staff = fixtures.staff(location, List.of(service));
        List<Map<String, String>> windows = new ArrayList<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            windows.add(Map.of("dayOfWeek", day.name(), "start", "09:00", "end", "12:00"));
        }
        Api.Response response = api.admin("PUT", "/api/v1/admin/staff/" + staff + "/working-hours", windows);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return new Fixtures.Salon(location, java.time.ZoneId.of("Europe/Berlin"), service, staff);
    }

    @Test
    void theEarliestStartGoesWhenTheNoticeReachesIt() {
        clock.pin(Instant.parse("2026-06-10T05:00:00Z")); // 07:00 in Berlin (summer time)
        var salon = salon();
        assertThat(starts(salon, "2026-06-10")).containsExactly("09:00", "10:00", "11:00");
        clock.pin(Instant.parse("2026-06-10T05:59:59Z"));
        assertThat(starts(salon, "2026-06-10")).as("an hour and a second before 09:00").containsExactly("09:00",
                "10:00", "11:00");
        clock.advance(Duration.ofSeconds(1));
        assertThat(starts(salon, "2026-06-10")).as("exactly an hour before 09:00: still bookable")
                .containsExactly("09:00", "10:00", "11:00");
        clock.advance(Duration.ofMillis(1));
        assertThat(starts(salon, "2026-06-10")).as("inside the notice").containsExactly("10:00", "11:00");
        clock.pin(Instant.parse("2026-06-10T09:30:00Z"));
        assertThat(starts(salon, "2026-06-10")).as("11:30 in Berlin: nothing left today").isEmpty();
    }

    @Test
    void atMidnightTheDayPastClosesAndTheNextDayOfTheWindowOpens() {
        clock.pin(Instant.parse("2026-06-10T21:59:59Z")); // 23:59:59 in Berlin
        var salon = salon();
        assertThat(day(salon, "2026-06-13").get("reason").asString()).isEqualTo("beyond_booking_window");
        assertThat(starts(salon, "2026-06-13")).isEmpty();
        assertThat(day(salon, "2026-06-10").has("reason")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(starts(salon, "2026-06-13")).as("inside the window from midnight on")
                .containsExactly("09:00", "10:00", "11:00");
        assertThat(day(salon, "2026-06-10").get("reason").asString()).isEqualTo("in_the_past");
    }

    private JsonNode day(Fixtures.Salon salon, String date) {
        Api.Response response = api.get("/api/v1/availability?staffId=" + salon.staffId() + "&serviceId="
                + salon.serviceId() + "&date=" + date + "&clientId=" + Fixtures.clientId());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private List<String> starts(Fixtures.Salon salon, String date) {
        List<String> times = new ArrayList<>();
        day(salon, date).get("slots").forEach(slot -> times.add(slot.get("time").asString()));
        return times;
    }
}
