package io.holdfast.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Fixtures.Salon;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * The booking journey over real HTTP: hold, book, read, cancel, reschedule, and the hold endpoints and
 * availability states around it. The default test salon has no minimum notice and a 120-minute cancel cut-off;
 * holds live 600 s.
 */
abstract class BookingFlowTest extends ServerTest {

    private static final Duration PAST_HOLD_TTL = Duration.ofMinutes(11);

    @Test
    void holdThenBookShowsTheSlotBooked() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        var hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "10:00"));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        var booking = fixtures.book(hold.json(), "ann@example.com");
        assertThat(booking.status()).as(booking.toString()).isEqualTo(201);
        assertThat(states(salon, day, null)).containsEntry("10:00", "booked");
    }

    // ---- reading a booking ------------------------------------------------------------------------------------

    @Test
    void bookingIsShownWithItsManageToken() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        JsonNode booking = book(salon, day, "10:00");

        var answer = api.get("/api/v1/bookings/" + id(booking), "Manage-Token", manageToken(booking));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().get("id").asString()).isEqualTo(id(booking));
        assertThat(answer.json().get("status").asString()).isEqualTo("confirmed");
        assertThat(answer.json().get("staffId").asLong()).isEqualTo(salon.staffId());
        assertThat(answer.json().get("serviceId").asLong()).isEqualTo(salon.serviceId());
        assertThat(answer.json().get("start").asString()).isEqualTo(salon.start(day, "10:00"));
        assertThat(answer.json().get("end").asString()).isEqualTo(salon.start(day, "10:30"));
        assertThat(answer.json().has("manageToken")).isFalse();
    }

    @Test
    void bookingWithoutManageTokenIsUnauthorized() {
        var salon = fixtures.salon();
        JsonNode booking = book(salon, inTwoDays(salon), "10:00");

        var answer = api.get("/api/v1/bookings/" + id(booking));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
        assertThat(answer.code()).isEqualTo("unauthorized");
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    @Test
    void bookingWithAnotherBookingsManageTokenIsForbidden() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        JsonNode booking = book(salon, day, "10:00");
        JsonNode other = book(salon, day, "11:00");

        var wrong = api.get("/api/v1/bookings/" + id(booking), "Manage-Token", manageToken(other));
        var forged = api.get("/api/v1/bookings/" + id(booking), "Manage-Token", "forged-token");

        assertThat(wrong.status()).as(wrong.toString()).isEqualTo(403);
        assertThat(wrong.code()).isEqualTo("forbidden");
        assertThat(forged.status()).as(forged.toString()).isEqualTo(403);
        assertThat(forged.code()).isEqualTo("forbidden");
    }

    // ---- cancelling ------------------------------------------------------------------------------------------

    @Test
    void customerCancelsBeforeTheCutoffAndTheTimeIsFreeAgain() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        JsonNode booking = book(salon, day, "10:00");
        assertThat(states(salon, day, null)).containsEntry("10:00", "booked");

        var cancelled = api.delete("/api/v1/bookings/" + id(booking), "Manage-Token", manageToken(booking));

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(204);
        assertThat(states(salon, day, null)).containsEntry("10:00", "free");
        assertThat(api.get("/api/v1/bookings/" + id(booking), "Manage-Token", manageToken(booking)).json()
                .get("status").asString()).isEqualTo("cancelled");
        var again = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "10:00"));
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
    }

    @Test
    void customerCannotCancelAfterTheCutoff() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        JsonNode booking = book(salon, day, "10:00");
        Instant start = salon.at(day, "10:00").toInstant();
        clock.pin(start.minus(Duration.ofMinutes(119)));

        var refused = api.delete("/api/v1/bookings/" + id(booking), "Manage-Token", manageToken(booking));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("too_late");
        assertThat(api.get("/api/v1/bookings/" + id(booking), "Manage-Token", manageToken(booking)).json()
                .get("status").asString()).isEqualTo("confirmed");
        assertThat(states(salon, day, null)).containsEntry("10:00", "booked");
    }

    @Test
    void customerMayCancelRightUpToTheCutoff() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        JsonNode booking = book(salon, day, "10:00");
        clock.pin(salon.at(day, "10:00").toInstant().minus(Duration.ofMinutes(120)));

        var cancelled = api.delete("/api/v1/bookings/" + id(booking), "Manage-Token", manageToken(booking));

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(204);
    }

    @Test
    void adminMayCancelAfterTheCutoff() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        JsonNode booking = book(salon, day, "10:00");
        clock.pin(salon.at(day, "10:00").toInstant().minus(Duration.ofMinutes(30)));

        var cancelled = api.admin("DELETE", "/api/v1/bookings/" + id(booking), null);

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(204);
        assertThat(states(salon, day, null)).containsEntry("10:00", "free");
    }

    // ---- rescheduling ----------------------------------------------------------------------------------------

    @Test
    void rescheduleMovesTheBookingToTheHeldTimeAndFreesTheOldOne() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        String client = Fixtures.clientId();
        JsonNode booking = book(salon, day, "10:00");
        JsonNode hold = hold(client, salon, day, "14:00");

        var moved = api.post("/api/v1/bookings/" + id(booking) + "/reschedule",
                Map.of("holdId", hold.get("holdId").asString(), "holdToken", hold.get("token").asString()),
                "Manage-Token", manageToken(booking));

        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.json().get("id").asString()).isEqualTo(id(booking));
        assertThat(moved.json().get("status").asString()).isEqualTo("confirmed");
        assertThat(moved.json().get("start").asString()).isEqualTo(salon.start(day, "14:00"));
        assertThat(moved.json().get("end").asString()).isEqualTo(salon.start(day, "14:30"));
        Map<String, String> states = states(salon, day, client);
        assertThat(states).containsEntry("10:00", "free").containsEntry("14:00", "booked");
        assertThat(api.get("/api/v1/bookings/" + id(booking), "Manage-Token", manageToken(booking)).json()
                .get("start").asString()).isEqualTo(salon.start(day, "14:00"));
        // One booking, at its new time: the move did not copy it.
        assertThat(adminBookings(day, salon.staffId())).extracting(b -> b.get("start").asString())
                .containsExactly(salon.start(day, "14:00"));
        // The hold that carried the new time is used up.
        assertThat(api.patch("/api/v1/holds/" + hold.get("holdId").asString(), null, "Hold-Token",
                hold.get("token").asString()).status()).isEqualTo(404);
        var oldTime = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "10:00"));
        assertThat(oldTime.status()).as(oldTime.toString()).isEqualTo(201);
    }

    @Test
    void rescheduleOntoATimeSomeoneElseBookedIsRefusedAndTheBookingStays() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        JsonNode booking = book(salon, day, "10:00");
        // Our hold on 14:00 lapses; someone else holds and books 14:00 meanwhile.
        String holder = Fixtures.clientId();
        clock.pin(Instant.now());
        JsonNode hold = hold(holder, salon, day, "14:00");
        clock.advance(PAST_HOLD_TTL);
        JsonNode theirs = book(salon, day, "14:00");

        var refused = api.post("/api/v1/bookings/" + id(booking) + "/reschedule",
                Map.of("holdId", hold.get("holdId").asString(), "holdToken", hold.get("token").asString()),
                "Manage-Token", manageToken(booking));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("slot_booked");
        var unchanged = api.get("/api/v1/bookings/" + id(booking), "Manage-Token", manageToken(booking)).json();
        assertThat(unchanged.get("status").asString()).isEqualTo("confirmed");
        assertThat(unchanged.get("start").asString()).isEqualTo(salon.start(day, "10:00"));
        assertThat(adminBookings(day, salon.staffId())).extracting(b -> b.get("id").asString())
                .containsExactly(id(booking), id(theirs));
        assertThat(states(salon, day, null)).containsEntry("10:00", "booked").containsEntry("14:00", "booked");
        // The old time is still guarded by the database, not just shown as booked.
        var oldTime = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "10:00"));
        assertThat(oldTime.status()).as(oldTime.toString()).isEqualTo(409);
        assertThat(oldTime.code()).isEqualTo("slot_booked");
        // The refused move leaves no lease behind: the hold's client may hold its full three slots again.
        for (String time : List.of("11:00", "12:00", "13:00")) {
            hold(holder, salon, day, time);
        }
    }

    // ---- booking with a lapsed hold ----------------------------------------------------------------------------

    @Test
    void bookingWithALapsedHoldSucceedsWhileTheTimeIsStillFree() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        clock.pin(Instant.now());
        JsonNode hold = hold(Fixtures.clientId(), salon, day, "10:00");
        clock.advance(PAST_HOLD_TTL);

        var booked = fixtures.book(hold, "late-" + System.nanoTime() + "@example.com");

        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        assertThat(booked.json().get("bookings").get(0).get("start").asString()).isEqualTo(salon.start(day, "10:00"));
        assertThat(states(salon, day, null)).containsEntry("10:00", "booked");
    }

    @Test
    void bookingWithALapsedHoldThatAnotherClientNowHoldsIsGone() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        clock.pin(Instant.now());
        JsonNode lapsed = hold(Fixtures.clientId(), salon, day, "10:00");
        clock.advance(PAST_HOLD_TTL);
        JsonNode current = hold(Fixtures.clientId(), salon, day, "10:00");

        var gone = fixtures.book(lapsed, "late-" + System.nanoTime() + "@example.com");

        assertThat(gone.status()).as(gone.toString()).isEqualTo(410);
        assertThat(gone.code()).isEqualTo("hold_expired");
        // An address of its own: a session another test class made for a shared address is not this test's to use.
        var booked = fixtures.book(current, "early-" + System.nanoTime() + "@example.com");
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
    }

    @Test
    void refusedBookingWithALapsedHoldLeavesNoLeaseBehind() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        String client = Fixtures.clientId();
        clock.pin(Instant.now());
        JsonNode lapsed = hold(client, salon, day, "10:00");
        clock.advance(PAST_HOLD_TTL);
        book(salon, day, "10:00");

        var refused = fixtures.book(lapsed, "late-" + System.nanoTime() + "@example.com");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("slot_booked");
        // The client holds nothing, so it may hold its full three slots again.
        for (String time : List.of("11:00", "12:00", "13:00")) {
            hold(client, salon, day, time);
        }
    }

    // ---- the hold endpoints ------------------------------------------------------------------------------------

    @Test
    void patchingAHoldWithItsTokenExtendsIt() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        clock.pin(Instant.now());
        JsonNode hold = hold(Fixtures.clientId(), salon, day, "10:00");
        clock.advance(Duration.ofMinutes(5));

        var extended = api.patch("/api/v1/holds/" + hold.get("holdId").asString(), null,
                "Hold-Token", hold.get("token").asString());

        assertThat(extended.status()).as(extended.toString()).isEqualTo(200);
        assertThat(extended.json().get("holdId").asString()).isEqualTo(hold.get("holdId").asString());
        Instant before = OffsetDateTime.parse(hold.get("expiresAt").asString()).toInstant();
        Instant after = OffsetDateTime.parse(extended.json().get("expiresAt").asString()).toInstant();
        assertThat(after).isAfter(before);
        // Past the original expiry the time is still ours.
        clock.advance(Duration.ofMinutes(7));
        var other = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "10:00"));
        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(other.code()).isEqualTo("slot_held");
    }

    @Test
    void patchingALapsedHoldIsGone() {
        var salon = fixtures.salon();
        clock.pin(Instant.now());
        JsonNode hold = hold(Fixtures.clientId(), salon, inTwoDays(salon), "10:00");
        clock.advance(PAST_HOLD_TTL);

        var gone = api.patch("/api/v1/holds/" + hold.get("holdId").asString(), null,
                "Hold-Token", hold.get("token").asString());

        assertThat(gone.status()).as(gone.toString()).isEqualTo(410);
        assertThat(gone.code()).isEqualTo("hold_expired");
    }

    @Test
    void patchingAHoldWithAWrongTokenIsForbidden() {
        var salon = fixtures.salon();
        JsonNode hold = hold(Fixtures.clientId(), salon, inTwoDays(salon), "10:00");

        var refused = api.patch("/api/v1/holds/" + hold.get("holdId").asString(), null, "Hold-Token", "forged");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("forbidden");
    }

    @Test
    void deletingAHoldWithItsTokenReleasesTheTime() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        String client = Fixtures.clientId();
        JsonNode hold = hold(client, salon, day, "10:00");
        assertThat(states(salon, day, client)).containsEntry("10:00", "mine");

        var released = api.delete("/api/v1/holds/" + hold.get("holdId").asString(),
                "Hold-Token", hold.get("token").asString());

        assertThat(released.status()).as(released.toString()).isEqualTo(204);
        assertThat(states(salon, day, client)).containsEntry("10:00", "free");
        assertThat(states(salon, day, null)).containsEntry("10:00", "free");
        var other = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "10:00"));
        assertThat(other.status()).as(other.toString()).isEqualTo(201);
    }

    @Test
    void deletingAHoldWithAWrongTokenKeepsIt() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        JsonNode hold = hold(Fixtures.clientId(), salon, day, "10:00");

        var refused = api.delete("/api/v1/holds/" + hold.get("holdId").asString(), "Hold-Token", "forged");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(states(salon, day, null)).containsEntry("10:00", "held");
    }

    @Test
    void theFourthSlotHeldByOneClientIsRefused() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        String client = Fixtures.clientId();
        for (String time : List.of("09:00", "10:00", "11:00")) {
            hold(client, salon, day, time);
        }

        var fourth = fixtures.hold(client, salon.staffId(), salon.serviceId(), salon.start(day, "12:00"));

        assertThat(fourth.status()).as(fourth.toString()).isEqualTo(409);
        assertThat(fourth.code()).isEqualTo("hold_limit_reached");
        assertThat(states(salon, day, client)).containsEntry("12:00", "free");
        var someoneElse = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "12:00"));
        assertThat(someoneElse.status()).as(someoneElse.toString()).isEqualTo(201);
    }

    @Test
    void retriedHoldWithItsIdempotencyKeyReturnsTheSameHold() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        String client = Fixtures.clientId();
        String key = java.util.UUID.randomUUID().toString();
        java.util.Map<String, Object> body = java.util.Map.of("clientId", client, "staffId", salon.staffId(),
                "serviceId", salon.serviceId(), "start", salon.start(day, "10:00"));
        var first = api.post("/api/v1/holds", body, "Idempotency-Key", key);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);

        var retried = api.post("/api/v1/holds", body, "Idempotency-Key", key);

        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.json().get("holdId").asString()).isEqualTo(first.json().get("holdId").asString());
        assertThat(retried.json().get("token").asString()).isEqualTo(first.json().get("token").asString());
        // without the key the clientId is no proof of owning the hold (API.md): held time, and no token
        var keyless = fixtures.hold(client, salon.staffId(), salon.serviceId(), salon.start(day, "10:00"));
        assertThat(keyless.status()).as(keyless.toString()).isEqualTo(409);
        assertThat(keyless.code()).isEqualTo("slot_held");
        assertThat(keyless.body()).doesNotContain(first.json().get("token").asString());
    }

    // ---- admin list --------------------------------------------------------------------------------------------

    @Test
    void adminListsTheDaysBookings() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        JsonNode morning = book(salon, day, "09:00");
        JsonNode afternoon = book(salon, day, "15:00");
        JsonNode nextDay = book(salon, day.plusDays(1), "09:00");

        var all = api.admin("GET", "/api/v1/admin/bookings?date=" + day, null);

        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(ids(all.json())).contains(id(morning), id(afternoon)).doesNotContain(id(nextDay));
        assertThat(adminBookings(day, salon.staffId())).extracting(b -> b.get("id").asString())
                .containsExactly(id(morning), id(afternoon));
        assertThat(adminBookings(day.plusDays(1), salon.staffId())).extracting(b -> b.get("id").asString())
                .containsExactly(id(nextDay));
        var anonymous = api.get("/api/v1/admin/bookings?date=" + day);
        assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
        assertThat(anonymous.code()).isEqualTo("unauthorized");
    }

    // ---- availability states -----------------------------------------------------------------------------------

    @Test
    void availabilityShowsMineToTheHolderAndHeldToEveryoneElse() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        String holder = Fixtures.clientId();
        hold(holder, salon, day, "10:00");

        assertThat(states(salon, day, holder)).containsEntry("10:00", "mine").containsEntry("10:30", "free");
        assertThat(states(salon, day, Fixtures.clientId())).containsEntry("10:00", "held");
        assertThat(states(salon, day, null)).containsEntry("10:00", "held");
    }

    @Test
    void availabilityShowsAnotherClientsSelection() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        String viewer = Fixtures.clientId();
        String browser = Fixtures.clientId();
        clock.pin(Instant.now());

        var selected = api.put("/api/v1/selections",
                Map.of("staffId", salon.staffId(), "date", day.toString(), "time", "11:00", "clientId", browser));

        assertThat(selected.status()).as(selected.toString()).isEqualTo(204);
        assertThat(states(salon, day, viewer)).containsEntry("11:00", "selected");
        assertThat(states(salon, day, browser)).containsEntry("11:00", "free");
        // A selection is presence, not a lock: the viewer can still hold the time.
        JsonNode hold = hold(viewer, salon, day, "11:00");
        assertThat(states(salon, day, viewer)).containsEntry("11:00", "mine");
        api.delete("/api/v1/holds/" + hold.get("holdId").asString(), "Hold-Token", hold.get("token").asString());
        // Selections lapse after 10 s unless renewed.
        clock.advance(Duration.ofSeconds(11));
        assertThat(states(salon, day, viewer)).containsEntry("11:00", "free");
    }

    @Test
    void deletingASelectionClearsIt() {
        var salon = fixtures.salon();
        LocalDate day = inTwoDays(salon);
        String browser = Fixtures.clientId();
        api.put("/api/v1/selections",
                Map.of("staffId", salon.staffId(), "date", day.toString(), "time", "11:00", "clientId", browser));
        assertThat(states(salon, day, null)).containsEntry("11:00", "selected");

        var cleared = api.delete("/api/v1/selections?staffId=" + salon.staffId() + "&date=" + day + "&clientId=" + browser);

        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(204);
        assertThat(states(salon, day, null)).containsEntry("11:00", "free");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static LocalDate inTwoDays(Salon salon) {
        return LocalDate.now(salon.zone()).plusDays(2);
    }

    private JsonNode hold(String clientId, Salon salon, LocalDate day, String time) {
        var hold = fixtures.hold(clientId, salon.staffId(), salon.serviceId(), salon.start(day, time));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        return hold.json();
    }

    /** Holds and books a time for a new client; returns the one booking of the answer (with its manage token). */
    private JsonNode book(Salon salon, LocalDate day, String time) {
        JsonNode hold = hold(Fixtures.clientId(), salon, day, time);
        var booked = fixtures.book(hold, "customer@example.com");
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        JsonNode bookings = booked.json().get("bookings");
        assertThat(bookings.size()).isEqualTo(1);
        return bookings.get(0);
    }

    private static String id(JsonNode booking) {
        return booking.get("id").asString();
    }

    private static String manageToken(JsonNode booking) {
        return booking.get("manageToken").asString();
    }

    private List<JsonNode> adminBookings(LocalDate day, long staffId) {
        var answer = api.admin("GET", "/api/v1/admin/bookings?date=" + day + "&staffId=" + staffId, null);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        List<JsonNode> bookings = new java.util.ArrayList<>();
        answer.json().forEach(bookings::add);
        return bookings;
    }

    private static List<String> ids(JsonNode bookings) {
        List<String> ids = new java.util.ArrayList<>();
        bookings.forEach(b -> ids.add(b.get("id").asString()));
        return ids;
    }

    /** Slot states by local time, as the given client (or an anonymous viewer) sees them. */
    private Map<String, String> states(Salon salon, LocalDate day, String clientId) {
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

@ActiveProfiles("h2")
class BookingFlowOnH2Test extends BookingFlowTest {
}

@ActiveProfiles("postgresql")
class BookingFlowOnPostgresTest extends BookingFlowTest {
}

@ActiveProfiles("mariadb")
class BookingFlowOnMariaDbTest extends BookingFlowTest {
}
