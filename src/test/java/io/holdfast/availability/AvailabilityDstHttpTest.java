package io.holdfast.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** The DST rules of BookableTimes as a client sees them: GET /api/v1/availability around the transitions. */
@ActiveProfiles("h2")
class AvailabilityDstHttpTest extends ServerTest {

    /** A salon open every night 00:00-05:00 and every morning 09:00-10:00 on a 30-minute grid. */
    private Fixtures.Salon salon(String zone, int durationMinutes) {
        long location = fixtures.location(zone, 30, 0, 60, 120);
        long service = fixtures.service(durationMinutes, 0, 0);
        long staff = fixtures.staff(location, List.of(service));
        List<Map<String, String>> windows = new ArrayList<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            windows.add(Map.of("dayOfWeek", day.name(), "start", "00:00", "end", "05:00"));
            windows.add(Map.of("dayOfWeek", day.name(), "start", "09:00", "end", "10:00"));
        }
        Api.Response response = api.admin("PUT", "/api/v1/admin/staff/" + staff + "/working-hours", windows);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return new Fixtures.Salon(location, java.time.ZoneId.of(zone), service, staff);
    }

    private JsonNode day(Fixtures.Salon salon, String date, String clientId) {
        Api.Response response = api.get("/api/v1/availability?staffId=" + salon.staffId() + "&serviceId="
                + salon.serviceId() + "&date=" + date + (clientId == null ? "" : "&clientId=" + clientId));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static List<String> field(JsonNode day, String name) {
        List<String> values = new ArrayList<>();
        day.get("slots").forEach(slot -> values.add(slot.get(name).asString()));
        return values;
    }

    private static Map<String, String> states(JsonNode day) {
        Map<String, String> states = new LinkedHashMap<>();
        day.get("slots").forEach(slot -> states.put(slot.get("start").asString(), slot.get("state").asString()));
        return states;
    }

    @Test
    void berlinSpringForward() {
        clock.pin(Instant.parse("2026-03-26T12:00:00Z"));
        var salon = salon("Europe/Berlin", 60);
        JsonNode before = day(salon, "2026-03-28", null);
        assertThat(field(before, "start")).contains("2026-03-28T09:00:00+01:00");
        JsonNode day = day(salon, "2026-03-29", null);
        assertThat(day.get("date").asString()).isEqualTo("2026-03-29");
        assertThat(day.get("timeZone").asString()).isEqualTo("Europe/Berlin");
        assertThat(field(day, "start")).containsExactly(
                "2026-03-29T00:00:00+01:00", "2026-03-29T00:30:00+01:00",
                "2026-03-29T01:00:00+01:00", "2026-03-29T01:30:00+01:00",
                "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00",
                "2026-03-29T04:00:00+02:00",
                "2026-03-29T09:00:00+02:00");
        assertThat(field(day, "time")).containsExactly("00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00",
                "09:00");
        assertThat(field(day, "state")).containsOnly("free");
    }

    @Test
    void berlinFallBackListsRepeatedTimesTwiceAndHoldsOnlyOne() {
        clock.pin(Instant.parse("2026-10-22T12:00:00Z"));
        var salon = salon("Europe/Berlin", 30);
        assertThat(field(day(salon, "2026-10-24", null), "start")).contains("2026-10-24T09:00:00+02:00");
        JsonNode day = day(salon, "2026-10-25", null);
        assertThat(field(day, "start")).containsExactly(
                "2026-10-25T00:00:00+02:00", "2026-10-25T00:30:00+02:00",
                "2026-10-25T01:00:00+02:00", "2026-10-25T01:30:00+02:00",
                "2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00",
                "2026-10-25T02:00:00+01:00", "2026-10-25T02:30:00+01:00",
                "2026-10-25T03:00:00+01:00", "2026-10-25T03:30:00+01:00",
                "2026-10-25T04:00:00+01:00", "2026-10-25T04:30:00+01:00",
                "2026-10-25T09:00:00+01:00", "2026-10-25T09:30:00+01:00");

        // Holding the second 02:00 (CET) takes only that instant; the first 02:00 (CEST) stays free.
        String client = Fixtures.clientId();
        var hold = fixtures.hold(client, salon.staffId(), salon.serviceId(), "2026-10-25T02:00:00+01:00");
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        assertThat(hold.json().get("items").get(0).get("start").asString()).isEqualTo("2026-10-25T02:00:00+01:00");
        assertThat(hold.json().get("items").get(0).get("end").asString()).isEqualTo("2026-10-25T02:30:00+01:00");
        Map<String, String> mine = states(day(salon, "2026-10-25", client));
        assertThat(mine).containsEntry("2026-10-25T02:00:00+01:00", "mine")
                .containsEntry("2026-10-25T02:00:00+02:00", "free")
                .containsEntry("2026-10-25T02:30:00+02:00", "free")
                .containsEntry("2026-10-25T02:30:00+01:00", "free");
        Map<String, String> others = states(day(salon, "2026-10-25", Fixtures.clientId()));
        assertThat(others).containsEntry("2026-10-25T02:00:00+01:00", "held")
                .containsEntry("2026-10-25T02:00:00+02:00", "free");
    }

    @Test
    void berlinFallBackSelectionByStartSelectsOnlyThatStartAndItsEventsNameIt() throws Exception {
        clock.pin(Instant.parse("2026-10-22T12:00:00Z"));
        var salon = salon("Europe/Berlin", 30);
        String browser = Fixtures.clientId();
        String stream = api.base() + "/api/v1/live/stream?staffId=" + salon.staffId() + "&date=2026-10-25";
        try (io.holdfast.support.SseClient viewer = io.holdfast.support.SseClient.open(stream)) {
            assertThat(viewer.awaitStatus(java.time.Duration.ofSeconds(10))).isEqualTo(200);
            Api.Response selected = api.put("/api/v1/selections", Map.of("staffId", salon.staffId(),
                    "start", "2026-10-25T02:30:00+01:00", "clientId", browser));
            assertThat(selected.status()).as(selected.toString()).isEqualTo(204);

            Map<String, String> seen = states(day(salon, "2026-10-25", Fixtures.clientId()));
            assertThat(seen).containsEntry("2026-10-25T02:30:00+01:00", "selected")
                    .containsEntry("2026-10-25T02:30:00+02:00", "free");
            JsonNode event = viewer.next("slot", java.time.Duration.ofSeconds(10)).json();
            assertThat(event.get("type").asString()).isEqualTo("selected");
            assertThat(event.get("times").toString()).isEqualTo("[\"02:30\"]");
            assertThat(event.get("starts").toString()).isEqualTo("[\"2026-10-25T02:30:00+01:00\"]");
            JsonNode poll = api.get("/api/v1/live/poll?staffId=" + salon.staffId() + "&date=2026-10-25").json();
            assertThat(poll.get("activeSelections").toString()).isEqualTo("[\"02:30\"]");
            assertThat(poll.get("activeSelectionStarts").toString()).isEqualTo("[\"2026-10-25T02:30:00+01:00\"]");

            // By local date and time, an overlap time means its earlier start, as holds read it
            Api.Response byLocalTime = api.put("/api/v1/selections", Map.of("staffId", salon.staffId(),
                    "date", "2026-10-25", "time", "02:30", "clientId", browser));
            assertThat(byLocalTime.status()).as(byLocalTime.toString()).isEqualTo(204);
            assertThat(states(day(salon, "2026-10-25", Fixtures.clientId())))
                    .containsEntry("2026-10-25T02:30:00+02:00", "selected")
                    .containsEntry("2026-10-25T02:30:00+01:00", "free");
        }
        Api.Response both = api.put("/api/v1/selections", Map.of("staffId", salon.staffId(), "date", "2026-10-25",
                "time", "02:30", "start", "2026-10-25T02:30:00+01:00", "clientId", browser));
        assertThat(both.status()).as(both.toString()).isEqualTo(400);
        assertThat(both.code()).isEqualTo("validation_failed");
    }

    @Test
    void berlinFallBackSixtyMinuteServiceEndsByTheWindowEndInRealTime() {
        clock.pin(Instant.parse("2026-10-22T12:00:00Z"));
        var salon = salon("Europe/Berlin", 60);
        List<String> starts = field(day(salon, "2026-10-25", null), "start");
        assertThat(starts).containsSubsequence("2026-10-25T02:30:00+02:00", "2026-10-25T02:00:00+01:00",
                "2026-10-25T02:30:00+01:00", "2026-10-25T04:00:00+01:00", "2026-10-25T09:00:00+01:00");
        assertThat(starts).doesNotContain("2026-10-25T04:30:00+01:00", "2026-10-25T09:30:00+01:00");
    }

    @Test
    void newYorkSpringForwardAndFallBack() {
        clock.pin(Instant.parse("2026-03-05T12:00:00Z"));
        var salon = salon("America/New_York", 60);
        assertThat(field(day(salon, "2026-03-07", null), "start")).contains("2026-03-07T09:00:00-05:00");
        assertThat(field(day(salon, "2026-03-08", null), "start")).containsExactly(
                "2026-03-08T00:00:00-05:00", "2026-03-08T00:30:00-05:00",
                "2026-03-08T01:00:00-05:00", "2026-03-08T01:30:00-05:00",
                "2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00",
                "2026-03-08T04:00:00-04:00",
                "2026-03-08T09:00:00-04:00");

        clock.pin(Instant.parse("2026-10-29T12:00:00Z"));
        assertThat(field(day(salon, "2026-10-31", null), "start")).contains("2026-10-31T09:00:00-04:00");
        assertThat(field(day(salon, "2026-11-01", null), "start")).containsExactly(
                "2026-11-01T00:00:00-04:00", "2026-11-01T00:30:00-04:00",
                "2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-04:00",
                "2026-11-01T01:00:00-05:00", "2026-11-01T01:30:00-05:00",
                "2026-11-01T02:00:00-05:00", "2026-11-01T02:30:00-05:00",
                "2026-11-01T03:00:00-05:00", "2026-11-01T03:30:00-05:00",
                "2026-11-01T04:00:00-05:00",
                "2026-11-01T09:00:00-05:00");
    }
}
