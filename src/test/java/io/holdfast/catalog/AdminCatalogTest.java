package io.holdfast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import io.holdfast.support.SseClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * The complete admin catalogue over real HTTP (API.md "Admin catalogue, complete"): reads, partial updates,
 * deletion that refuses what future bookings need ({@code in_use}) and keeps past bookings' history, and schedule
 * changes over confirmed bookings ({@code bookings_affected}, or cancelled with {@code cancelAffected}: mailed,
 * announced live, and availability follows at once).
 */
@ActiveProfiles("h2")
class AdminCatalogTest extends ServerTest {

    private static final long UNKNOWN = 987_654_321L;

    @Test
    void locationsAreListedReadPatchedAndDeleted() {
        long id = fixtures.location("Europe/Berlin", 30, 0, 60, 120);

        assertThat(ids(api.admin("GET", "/api/v1/admin/locations", null))).contains(id);
        Api.Response read = api.admin("GET", "/api/v1/admin/locations/" + id, null);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json().get("timeZone").asString()).isEqualTo("Europe/Berlin");

        Api.Response patched = api.admin("PATCH", "/api/v1/admin/locations/" + id,
                Map.of("name", "Renamed", "slotIntervalMinutes", 15, "minNoticeMinutes", 30));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().get("name").asString()).isEqualTo("Renamed");
        assertThat(patched.json().get("slotIntervalMinutes").asInt()).isEqualTo(15);
        assertThat(patched.json().get("bookingWindowDays").asInt()).as("untouched").isEqualTo(60);
        assertThat(api.get("/api/v1/locations").body()).contains("Renamed");

        Api.Response rules = api.admin("GET", "/api/v1/admin/locations/" + id + "/rules", null);
        assertThat(rules.status()).isEqualTo(200);
        assertThat(rules.json().get("minNoticeMinutes").asInt()).isEqualTo(30);
        assertThat(api.admin("PUT", "/api/v1/admin/locations/" + id + "/rules", Map.of("minNoticeMinutes", 0,
                "bookingWindowDays", 10, "cancelCutoffMinutes", 5)).status()).isEqualTo(200);
        assertThat(api.admin("GET", "/api/v1/admin/locations/" + id + "/rules", null).json()
                .get("bookingWindowDays").asInt()).isEqualTo(10);

        assertThat(api.admin("DELETE", "/api/v1/admin/locations/" + id, null).status()).isEqualTo(204);
        assertThat(api.admin("GET", "/api/v1/admin/locations/" + id, null).status()).isEqualTo(404);
        assertThat(api.admin("GET", "/api/v1/admin/locations/" + id + "/rules", null).status()).isEqualTo(404);
        assertThat(ids(api.get("/api/v1/locations"))).doesNotContain(id);
        assertThat(api.admin("DELETE", "/api/v1/admin/locations/" + id, null).status()).as("gone").isEqualTo(404);
        assertThat(api.admin("PATCH", "/api/v1/admin/locations/" + UNKNOWN, Map.of("name", "X")).status()).isEqualTo(404);
    }

    @Test
    void servicesAndStaffAreListedReadPatchedAndDeleted() {
        var salon = fixtures.salon();
        long other = fixtures.service(45, 0, 0);

        assertThat(ids(api.admin("GET", "/api/v1/admin/services", null))).contains(salon.serviceId(), other);
        Api.Response service = api.admin("PATCH", "/api/v1/admin/services/" + other,
                Map.of("priceCents", 9900, "durationMinutes", 60));
        assertThat(service.status()).as(service.toString()).isEqualTo(200);
        assertThat(service.json().get("priceCents").asLong()).isEqualTo(9900);
        assertThat(api.admin("GET", "/api/v1/admin/services/" + other, null).json().get("durationMinutes").asInt())
                .isEqualTo(60);

        String staff = "/api/v1/admin/staff/" + salon.staffId();
        Api.Response member = api.admin("PATCH", staff, Map.of("name", "Robin", "serviceIds",
                List.of(salon.serviceId(), other)));
        assertThat(member.status()).as(member.toString()).isEqualTo(200);
        assertThat(api.admin("GET", staff, null).json().get("serviceIds").toString())
                .isEqualTo("[" + Math.min(salon.serviceId(), other) + "," + Math.max(salon.serviceId(), other) + "]");
        assertThat(ids(api.admin("GET", "/api/v1/admin/staff", null))).contains(salon.staffId());

        assertThat(api.admin("DELETE", "/api/v1/admin/services/" + other, null).status()).isEqualTo(204);
        assertThat(api.admin("GET", "/api/v1/admin/services/" + other, null).status()).isEqualTo(404);
        assertThat(api.admin("GET", staff, null).json().get("serviceIds").toString()).as("nobody offers it")
                .isEqualTo("[" + salon.serviceId() + "]");

        assertThat(api.admin("DELETE", staff, null).status()).isEqualTo(204);
        assertThat(api.admin("GET", staff, null).status()).isEqualTo(404);
        assertThat(ids(api.get("/api/v1/staff?locationId=" + salon.locationId()))).isEmpty();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        assertThat(fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "10:00"))
                .status()).as("nothing new with a deleted staff member").isIn(404, 409);
    }

    @Test
    void workingHoursComeBackAsHhMmAndTimeOffIsListedAndDeleted() {
        var salon = fixtures.salon();
        Api.Response hours = api.admin("GET", "/api/v1/admin/staff/" + salon.staffId() + "/working-hours", null);
        assertThat(hours.status()).isEqualTo(200);
        assertThat(hours.json().get(0).get("start").asString()).isEqualTo("08:00");
        assertThat(hours.json().get(0).get("end").asString()).isEqualTo("18:00");
        assertThat(hours.json()).hasSize(7);

        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        String path = "/api/v1/admin/staff/" + salon.staffId() + "/time-off";
        Api.Response off = api.admin("POST", path, Map.of("start", salon.start(day, "10:00"),
                "end", salon.start(day, "12:00"), "reason", "Dentist"));
        assertThat(off.status()).as(off.toString()).isEqualTo(201);
        assertThat(fixtures.times(salon, day)).doesNotContain("10:00", "11:30").contains("12:00");

        Api.Response listed = api.admin("GET", path, null);
        assertThat(listed.json()).hasSize(1);
        assertThat(listed.json().get(0).get("start").asString()).isEqualTo(salon.start(day, "10:00"));
        assertThat(listed.json().get(0).get("reason").asString()).isEqualTo("Dentist");

        long offId = off.json().get("id").asLong();
        assertThat(api.admin("DELETE", path + "/" + offId, null).status()).isEqualTo(204);
        assertThat(api.admin("GET", path, null).json()).isEmpty();
        assertThat(fixtures.times(salon, day)).as("bookable again at once").contains("10:00", "11:30");
        assertThat(api.admin("DELETE", path + "/" + offId, null).status()).isEqualTo(404);
    }

    @Test
    void deletingWhatFutureBookingsNeedIsInUseAndPastHistoryStays() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        JsonNode booking = book(salon, day, "10:00", "in-use@example.com");

        for (String path : List.of("/api/v1/admin/staff/" + salon.staffId(),
                "/api/v1/admin/services/" + salon.serviceId(), "/api/v1/admin/locations/" + salon.locationId())) {
            Api.Response refused = api.admin("DELETE", path, null);
            assertThat(refused.status()).as(path + ": " + refused).isEqualTo(409);
            assertThat(refused.code()).isEqualTo("in_use");
            assertThat(refused.json().get("bookings").get(0).get("id").asString())
                    .isEqualTo(booking.get("id").asString());
        }

        assertThat(api.admin("DELETE", "/api/v1/bookings/" + booking.get("id").asString(), null).status())
                .isEqualTo(204);
        assertThat(api.admin("DELETE", "/api/v1/admin/staff/" + salon.staffId(), null).status()).isEqualTo(204);
        assertThat(api.admin("DELETE", "/api/v1/admin/services/" + salon.serviceId(), null).status()).isEqualTo(204);
        assertThat(api.admin("DELETE", "/api/v1/admin/locations/" + salon.locationId(), null).status()).isEqualTo(204);
        Api.Response history = api.get("/api/v1/bookings/" + booking.get("id").asString(), "Manage-Token",
                booking.get("manageToken").asString());
        assertThat(history.status()).as("the booking's history stays readable: " + history).isEqualTo(200);
        assertThat(history.json().get("staffId").asLong()).isEqualTo(salon.staffId());
    }

    @Test
    void timeOffOverBookingsIsRefusedWithTheBookingsListed() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(4);
        JsonNode booking = book(salon, day, "11:00", "affected@example.com");
        String path = "/api/v1/admin/staff/" + salon.staffId() + "/time-off";

        Api.Response refused = api.admin("POST", path, Map.of("start", salon.start(day, "10:00"),
                "end", salon.start(day, "12:00")));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("bookings_affected");
        JsonNode listed = refused.json().get("bookings");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asString()).isEqualTo(booking.get("id").asString());
        assertThat(listed.get(0).get("staffId").asLong()).isEqualTo(salon.staffId());
        assertThat(listed.get(0).get("start").asString()).isEqualTo(salon.start(day, "11:00"));
        assertThat(api.admin("GET", path, null).json()).as("nothing was added").isEmpty();
        assertThat(bookingStatus(booking)).isEqualTo("confirmed");

        Api.Response beside = api.admin("POST", path, Map.of("start", salon.start(day, "14:00"),
                "end", salon.start(day, "15:00")));
        assertThat(beside.status()).as("time off beside the booking: " + beside).isEqualTo(201);

        Api.Response hours = api.admin("PUT", "/api/v1/admin/staff/" + salon.staffId() + "/working-hours",
                List.of(Map.of("dayOfWeek", day.getDayOfWeek().name(), "start", "12:00", "end", "18:00")));
        assertThat(hours.status()).as(hours.toString()).isEqualTo(409);
        assertThat(hours.code()).isEqualTo("bookings_affected");
        assertThat(hours.json().get("bookings").get(0).get("id").asString()).isEqualTo(booking.get("id").asString());
        assertThat(api.admin("GET", "/api/v1/admin/staff/" + salon.staffId() + "/working-hours", null).json())
                .as("hours unchanged").hasSize(7);
    }

    @Test
    void cancelAffectedCancelsMailsAndTellsViewers() throws Exception {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(5);
        String email = "cancel-affected-" + System.nanoTime() + "@example.com";
        JsonNode booking = book(salon, day, "11:00", email);

        try (SseClient stream = SseClient.open(api.base() + "/api/v1/live/stream?staffId=" + salon.staffId()
                + "&date=" + day)) {
            assertThat(stream.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            Api.Response off = api.admin("POST", "/api/v1/admin/staff/" + salon.staffId() + "/time-off",
                    Map.of("start", salon.start(day, "10:00"), "end", salon.start(day, "13:00"),
                            "reason", "Closed", "cancelAffected", true));
            assertThat(off.status()).as(off.toString()).isEqualTo(201);

            List<String> types = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                SseClient.Event event = stream.next("slot", Duration.ofSeconds(10));
                assertThat(event).as("events so far: " + types).isNotNull();
                types.add(event.json().get("type").asString());
            }
            assertThat(types).containsExactlyInAnyOrder("cancelled", "schedule");
        }
        assertThat(bookingStatus(booking)).isEqualTo("cancelled");
        assertThat(fixtures.times(salon, day)).as("availability follows at once").doesNotContain("10:00", "11:00", "12:30")
                .contains("13:00");
        // The mail is composed after the commit and queued (BookingNotices): it arrives soon, not with the answer.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Api.Response outbox = api.admin("GET", "/api/v1/admin/outbox?to=" + email, null);
            assertThat(outbox.status()).isEqualTo(200);
            List<String> subjects = new ArrayList<>();
            outbox.json().forEach(mail -> subjects.add(mail.get("subject").asString()));
            assertThat(subjects).anyMatch(subject -> subject.startsWith("Your booking is cancelled"));
        });
    }

    @Test
    void newHoursWithCancelAffectedCancelTheBookingsTheyLeaveOut() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(6);
        JsonNode early = book(salon, day, "09:00", "early@example.com");
        JsonNode late = book(salon, day, "15:00", "late@example.com");

        Api.Response hours = api.admin("PUT", "/api/v1/admin/staff/" + salon.staffId()
                + "/working-hours?cancelAffected=true", List.of(Map.of("dayOfWeek", day.getDayOfWeek().name(),
                "start", "12:00", "end", "18:00")));

        assertThat(hours.status()).as(hours.toString()).isEqualTo(200);
        assertThat(hours.json().get(0).get("start").asString()).isEqualTo("12:00");
        assertThat(bookingStatus(early)).isEqualTo("cancelled");
        assertThat(bookingStatus(late)).isEqualTo("confirmed");
        assertThat(fixtures.times(salon, day)).doesNotContain("09:00", "11:30").contains("12:00");
    }

    /** API.md: "unless the body says cancelAffected: true": the object form of the working-hours body. */
    @Test
    void newHoursWhoseBodySaysCancelAffectedCancelTheBookingsTheyLeaveOut() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(6);
        JsonNode early = book(salon, day, "09:00", "early-body@example.com");
        List<Map<String, String>> windows = List.of(Map.of("dayOfWeek", day.getDayOfWeek().name(),
                "start", "12:00", "end", "18:00"));

        Api.Response refused = api.admin("PUT", "/api/v1/admin/staff/" + salon.staffId() + "/working-hours",
                Map.of("windows", windows));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.json().get("code").asString()).isEqualTo("bookings_affected");
        assertThat(bookingStatus(early)).isEqualTo("confirmed");

        Api.Response hours = api.admin("PUT", "/api/v1/admin/staff/" + salon.staffId() + "/working-hours",
                Map.of("windows", windows, "cancelAffected", true));
        assertThat(hours.status()).as(hours.toString()).isEqualTo(200);
        assertThat(hours.json().get(0).get("start").asString()).isEqualTo("12:00");
        assertThat(bookingStatus(early)).isEqualTo("cancelled");
    }

    private JsonNode book(Fixtures.Salon salon, LocalDate day, String time, String email) {
        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, time));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        Api.Response booked = fixtures.book(hold.json(), email);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        return booked.json().get("bookings").get(0);
    }

    private String bookingStatus(JsonNode booking) {
        return api.get("/api/v1/bookings/" + booking.get("id").asString(), "Manage-Token",
                booking.get("manageToken").asString()).json().get("status").asString();
    }

    private static List<Long> ids(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        response.json().forEach(entity -> ids.add(entity.get("id").asLong()));
        return ids;
    }
}
