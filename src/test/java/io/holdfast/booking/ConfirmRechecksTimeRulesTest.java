package io.holdfast.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Issue #15 finding 4: with the minimum notice raised after a hold was made, confirming the old hold still booked a
 * time inside the notice (which the customer could then not cancel: {@code too_late}). The confirmation now checks
 * the notice and the booking window again, as of its own moment, in its transaction: 409 {@code slot_unavailable}
 * naming the rule. A hold still within the rules books as before.
 */
@ActiveProfiles("h2")
class ConfirmRechecksTimeRulesTest extends ServerTest {

    @Test
    void aHoldMadeInTimeDoesNotBookATimeNowInsideARaisedNotice() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        clock.pin(salon.at(day, "07:00").toInstant());
        JsonNode soon = hold(salon, day, "10:00");
        JsonNode later = hold(salon, day, "16:00");

        rules(salon, 240, 60);

        Api.Response refused = fixtures.book(soon, email());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("slot_unavailable");
        assertThat(refused.json().get("detail").asString()).contains("minimum notice").contains("240 minutes");
        Api.Response booked = fixtures.book(later, email());
        assertThat(booked.status()).as("nine hours ahead is outside the new notice: " + booked).isEqualTo(201);
        assertThat(state(salon, day, "10:00")).as("the refused hold's time is not booked").isNotEqualTo("booked");
    }

    @Test
    void aHoldThatWaitedUntilItsStartIsInsideTheNoticeDoesNotBook() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        rules(salon, 60, 60);
        clock.pin(salon.at(day, "06:55").toInstant());
        JsonNode hold = hold(salon, day, "08:00"); // 65 minutes ahead: bookable

        clock.advance(Duration.ofMinutes(9)); // the lease still runs; 08:00 is 56 minutes ahead now

        Api.Response refused = fixtures.book(hold, email());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("slot_unavailable");
        assertThat(refused.json().get("detail").asString()).contains("minimum notice");
    }

    @Test
    void aHoldBeyondANarrowedBookingWindowDoesNotBook() {
        var salon = fixtures.salon();
        LocalDate far = LocalDate.now(salon.zone()).plusDays(20);
        JsonNode hold = hold(salon, far, "10:00");

        rules(salon, 0, 7);

        Api.Response refused = fixtures.book(hold, email());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("slot_unavailable");
        assertThat(refused.json().get("detail").asString()).contains("7 days ahead");
    }

    @Test
    void aRescheduleOntoATimeNowInsideARaisedNoticeIsRefused() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        clock.pin(salon.at(day, "07:00").toInstant());
        Api.Response booked = fixtures.book(hold(salon, day, "16:00"), email());
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        JsonNode booking = booked.json().get("bookings").get(0);
        JsonNode newTime = hold(salon, day, "10:00");

        rules(salon, 240, 60);

        Api.Response moved = api.post("/api/v1/bookings/" + booking.get("id").asString() + "/reschedule",
                Map.of("holdId", newTime.get("holdId").asString(), "holdToken", newTime.get("token").asString()),
                "Manage-Token", booking.get("manageToken").asString());
        assertThat(moved.status()).as(moved.toString()).isEqualTo(409);
        assertThat(moved.code()).isEqualTo("slot_unavailable");
        assertThat(moved.json().get("detail").asString()).contains("minimum notice");
        Api.Response still = api.get("/api/v1/bookings/" + booking.get("id").asString(), "Manage-Token",
                booking.get("manageToken").asString());
        assertThat(still.json().get("start").asString()).isEqualTo(salon.start(day, "16:00"));
    }

    private JsonNode hold(Fixtures.Salon salon, LocalDate day, String time) {
        Api.Response held = api.post("/api/v1/holds", Map.of("clientId", Fixtures.clientId(), "staffId",
                salon.staffId(), "serviceId", salon.serviceId(), "start", salon.start(day, time)));
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        return held.json();
    }

    private void rules(Fixtures.Salon salon, int minNotice, int windowDays) {
        Api.Response changed = api.admin("PUT", "/api/v1/admin/locations/" + salon.locationId() + "/rules",
                Map.of("minNoticeMinutes", minNotice, "bookingWindowDays", windowDays, "cancelCutoffMinutes", 120));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    }

    private String state(Fixtures.Salon salon, LocalDate day, String time) {
        Api.Response answer = api.get("/api/v1/availability?staffId=" + salon.staffId() + "&serviceId="
                + salon.serviceId() + "&date=" + day + "&clientId=" + Fixtures.clientId());
        for (JsonNode slot : answer.json().get("slots")) {
            if (slot.get("time").asString().equals(time)) {
                return slot.get("state").asString();
            }
        }
        return "not listed";
    }

    private static String email() {
        return "notice-" + UUID.randomUUID() + "@example.com";
    }
}
