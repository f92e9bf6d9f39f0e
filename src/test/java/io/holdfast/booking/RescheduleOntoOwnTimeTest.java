package io.holdfast.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Fixtures.Salon;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Moving a booking onto time that overlaps its own (API.md, {@code rescheduling}): a hold that names the booking
 * and proves the caller may change it may overlap that booking's current time, never anyone else's booking or
 * hold, and never time the rules do not offer. The salon runs a 15-minute grid with a 30-minute service, so a
 * move of 15 minutes overlaps the booking by half.
 */
abstract class RescheduleOntoOwnTimeTest extends ServerTest {

    private static final String EMAIL = "mover@example.com";

    @Autowired
    private JdbcClient jdbc;

    private BookingRows rows;
    private Salon salon;
    private LocalDate day;

    @BeforeEach
    void salonWithAFifteenMinuteGrid() {
        rows = new BookingRows(jdbc);
        salon = fixtures.salon("Europe/Berlin", 15, 30, 0, 0, "08:00", "18:00");
        day = LocalDate.now(salon.zone()).plusDays(2);
    }

    @Test
    void movingFifteenMinutesLaterHoldsOverItsOwnTimeAndFreesTheOldQuarter() {
        JsonNode booking = book("10:00");
        String client = Fixtures.clientId();

        var hold = reschedulingHold(client, "10:15", id(booking), manageToken(booking));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        var moved = reschedule(booking, hold.json());

        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.json().get("start").asString()).isEqualTo(salon.start(day, "10:15"));
        assertThat(moved.json().get("end").asString()).isEqualTo(salon.start(day, "10:45"));
        // The database's own rows: one booking, on exactly the new granules, overlapping nothing.
        assertThat(rows.confirmedIds(salon.staffId())).containsExactly(id(booking));
        assertThat(rows.granuleOwners(salon.staffId(), at("10:00"), at("10:15"))).isEmpty();
        assertThat(rows.granuleOwners(salon.staffId(), at("10:15"), at("10:45"))).containsExactly(id(booking));
        assertThat(rows.bookedGranules(salon.staffId())).isEqualTo(6);
        assertThat(rows.overlappingPairs(salon.staffId())).isZero();
        // The old first quarter is free for anyone; the new time is booked for anyone.
        var oldQuarter = plainHold(Fixtures.clientId(), "09:45");
        assertThat(oldQuarter.status()).as(oldQuarter.toString()).isEqualTo(201);
        var newTime = plainHold(Fixtures.clientId(), "10:30");
        assertThat(newTime.status()).as(newTime.toString()).isEqualTo(409);
        assertThat(newTime.code()).isEqualTo("slot_booked");
    }

    @Test
    void theCustomersSessionMayStandForTheManageToken() {
        JsonNode booking = book("10:00");

        var hold = api.post("/api/v1/holds", holdBody(Fixtures.clientId(), "10:15", rescheduling(id(booking), null)),
                "Authorization", "Bearer " + fixtures.session(EMAIL));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        var moved = reschedule(booking, hold.json());

        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(rows.granuleOwners(salon.staffId(), at("10:15"), at("10:45"))).containsExactly(id(booking));
        assertThat(rows.overlappingPairs(salon.staffId())).isZero();
    }

    @Test
    void withoutReschedulingTheOwnBookingStillCountsAsBooked() {
        JsonNode booking = book("10:00");

        var refused = plainHold(Fixtures.clientId(), "10:15");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("slot_booked");
        assertThat(rows.granuleOwners(salon.staffId(), at("10:00"), at("10:30"))).containsExactly(id(booking));
    }

    @Test
    void aWrongManageTokenOrSessionIsRefusedAsTheBookingEndpointsRefuseIt() {
        JsonNode booking = book("10:00");
        JsonNode other = book("14:00");
        String client = Fixtures.clientId();

        var forged = reschedulingHold(client, "10:15", id(booking), "forged-token");
        var anotherBookingsToken = reschedulingHold(client, "10:15", id(booking), manageToken(other));
        var noCredential = reschedulingHold(client, "10:15", id(booking), null);
        var unknownBooking = reschedulingHold(client, "10:15", UUID.randomUUID().toString(), manageToken(booking));
        var anotherEmailsSession = api.post("/api/v1/holds",
                holdBody(client, "10:15", rescheduling(id(booking), null)),
                "Authorization", "Bearer " + fixtures.session("someone-else@example.com"));

        assertThat(forged.status()).as(forged.toString()).isEqualTo(403);
        assertThat(forged.code()).isEqualTo("forbidden");
        assertThat(anotherBookingsToken.status()).as(anotherBookingsToken.toString()).isEqualTo(403);
        assertThat(noCredential.status()).as(noCredential.toString()).isEqualTo(401);
        assertThat(noCredential.code()).isEqualTo("unauthorized");
        assertThat(unknownBooking.status()).as(unknownBooking.toString()).isEqualTo(404);
        assertThat(unknownBooking.code()).isEqualTo("not_found");
        assertThat(anotherEmailsSession.status()).as(anotherEmailsSession.toString()).isEqualTo(403);
        // A wrong token does not even let the hold fall back to an ordinary one on free time.
        var wrongOnFreeTime = reschedulingHold(client, "12:00", id(booking), "forged-token");
        assertThat(wrongOnFreeTime.status()).as(wrongOnFreeTime.toString()).isEqualTo(403);
        // Nothing was leased by the refusals: the booking and its time are as they were, the right token works.
        assertThat(rows.granuleOwners(salon.staffId(), at("10:00"), at("10:30"))).containsExactly(id(booking));
        var right = reschedulingHold(client, "10:15", id(booking), manageToken(booking));
        assertThat(right.status()).as(right.toString()).isEqualTo(201);
    }

    @Test
    void aReschedulingHoldStillRefusesAnotherCustomersBooking() {
        JsonNode booking = book("10:00");
        JsonNode theirs = book("10:30");

        var refused = reschedulingHold(Fixtures.clientId(), "10:15", id(booking), manageToken(booking));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("slot_booked");
        assertThat(rows.granuleOwners(salon.staffId(), at("10:00"), at("11:00")))
                .containsExactlyInAnyOrder(id(booking), id(theirs));
    }

    @Test
    void aReschedulingHoldStillRefusesAnotherCustomersHold() {
        JsonNode booking = book("10:00");
        var theirs = plainHold(Fixtures.clientId(), "10:30");
        assertThat(theirs.status()).as(theirs.toString()).isEqualTo(201);

        var refused = reschedulingHold(Fixtures.clientId(), "10:15", id(booking), manageToken(booking));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("slot_held");
    }

    @Test
    void aReschedulingHoldStillKeepsToTheRules() {
        JsonNode booking = book("17:30");

        // 17:45 would end at 18:15, after working hours; 10:05 is off the 15-minute grid.
        var pastClosing = reschedulingHold(Fixtures.clientId(), "17:45", id(booking), manageToken(booking));
        var offGrid = reschedulingHold(Fixtures.clientId(), "10:05", id(booking), manageToken(booking));

        assertThat(pastClosing.status()).as(pastClosing.toString()).isEqualTo(409);
        assertThat(pastClosing.code()).isEqualTo("slot_unavailable");
        assertThat(offGrid.status()).as(offGrid.toString()).isEqualTo(409);
        assertThat(offGrid.code()).isEqualTo("slot_unavailable");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private JsonNode book(String time) {
        var hold = plainHold(Fixtures.clientId(), time);
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        var booked = fixtures.book(hold.json(), EMAIL);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        return booked.json().get("bookings").get(0);
    }

    private Api.Response plainHold(String client, String time) {
        return fixtures.hold(client, salon.staffId(), salon.serviceId(), salon.start(day, time));
    }

    private Api.Response reschedulingHold(String client, String time, String bookingId, String manageToken) {
        return api.post("/api/v1/holds", holdBody(client, time, rescheduling(bookingId, manageToken)));
    }

    private Map<String, Object> holdBody(String client, String time, Map<String, Object> rescheduling) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("clientId", client);
        body.put("staffId", salon.staffId());
        body.put("serviceId", salon.serviceId());
        body.put("start", salon.start(day, time));
        body.put("rescheduling", rescheduling);
        return body;
    }

    private static Map<String, Object> rescheduling(String bookingId, String manageToken) {
        Map<String, Object> rescheduling = new LinkedHashMap<>();
        rescheduling.put("bookingId", bookingId);
        if (manageToken != null) {
            rescheduling.put("manageToken", manageToken);
        }
        return rescheduling;
    }

    private Api.Response reschedule(JsonNode booking, JsonNode hold) {
        return api.post("/api/v1/bookings/" + id(booking) + "/reschedule",
                Map.of("holdId", hold.get("holdId").asString(), "holdToken", hold.get("token").asString()),
                "Manage-Token", manageToken(booking));
    }

    private java.time.Instant at(String time) {
        return salon.at(day, time).toInstant();
    }

    private static String id(JsonNode booking) {
        return booking.get("id").asString();
    }

    private static String manageToken(JsonNode booking) {
        return booking.get("manageToken").asString();
    }
}

@ActiveProfiles("h2")
class RescheduleOntoOwnTimeOnH2Test extends RescheduleOntoOwnTimeTest {
}

@ActiveProfiles("postgresql")
class RescheduleOntoOwnTimeOnPostgresTest extends RescheduleOntoOwnTimeTest {
}

@ActiveProfiles("mariadb")
class RescheduleOntoOwnTimeOnMariaDbTest extends RescheduleOntoOwnTimeTest {
}
