package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Every endpoint of API.md that exists, fed bad input: each answer must be the expected 4xx as problem+json with
 * a known machine code, never a 5xx, never a stack trace or SQL.
 *
 * <p>Rows are written against a small world built once (a salon, a booking, a live hold); placeholders such as
 * {@code {staff}} or {@code {hold}} in paths, bodies and header values are replaced when the row runs.
 */
@ActiveProfiles("h2")
class BadInputTest extends ServerTest {

    /** API.md's codes plus the ones the server adds for the standard HTTP refusals. */
    private static final Set<String> KNOWN_CODES = Set.of("validation_failed", "unauthorized", "forbidden",
            "not_found", "slot_unavailable", "slot_held", "slot_booked", "hold_limit_reached", "too_late",
            "hold_expired", "idempotency_key_reused", "otp_invalid", "rate_limited", "payload_too_large",
            "method_not_allowed", "unsupported_media_type", "not_acceptable", "request_in_progress");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Past Tomcat's header and URL limits (8 KiB). */
    private static final String HUGE = "x".repeat(100_000);
    /** Past every field's limit, within the body limit (64 KiB): the field's own validation must refuse it. */
    private static final String LONG = "x".repeat(20_000);
    private static final long UNKNOWN = 987_654_321L;
    private static final String UNKNOWN_UUID = "7d444840-9dc0-11d1-b245-5ffdce74fad2";
    private static final String ADMIN = "Bearer " + ADMIN_TOKEN;
    /** Marks a header to be left out even where the row would set it by default (Content-Type). */
    private static final String OMIT = "\u0000omit";

    /** The shared world, built by the first row against the (cached) server. */
    private static volatile Map<String, String> world;

    record Row(String name, String method, String path, String body, Map<String, String> headers, int status, String code) {
    }

    @BeforeEach
    void buildWorld() {
        if (world != null) {
            return;
        }
        Map<String, String> w = new LinkedHashMap<>();
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        w.put("loc", String.valueOf(salon.locationId()));
        w.put("staff", String.valueOf(salon.staffId()));
        w.put("service", String.valueOf(salon.serviceId()));
        w.put("otherService", String.valueOf(fixtures.service(30, 0, 0)));
        w.put("day", day.toString());
        w.put("start", salon.start(day, "14:00"));
        w.put("offGrid", salon.start(day, "14:10"));
        w.put("closed", salon.start(day, "20:00"));
        w.put("past", salon.start(day.minusDays(10), "10:00"));
        w.put("farAhead", salon.start(day.plusDays(400), "10:00"));
        w.put("bookedStart", salon.start(day, "10:00"));
        w.put("heldStart", salon.start(day, "12:00"));

        String key = "bad-input-" + UUID.randomUUID();
        Api.Response first = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                w.get("bookedStart"));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        Api.Response booked = fixtures.book(first.json(), "ann@example.com", key);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        JsonNode booking = booked.json().get("bookings").get(0);
        w.put("session", fixtures.session("ann@example.com"));
        w.put("otherSession", fixtures.session("bob@example.com"));
        w.put("booking", booking.get("id").asString());
        w.put("manage", booking.get("manageToken").asString());
        w.put("usedKey", key);

        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), w.get("heldStart"));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        w.put("hold", hold.json().get("holdId").asString());
        w.put("holdToken", hold.json().get("token").asString());
        world = w;
    }

    @ParameterizedTest
    @MethodSource("rows")
    void refusedWithAProblem(Row row) {
        HttpResponse<String> response = send(row);
        String body = response.body() == null ? "" : response.body();
        String described = "[" + row.name() + "] " + row.method() + " " + abbreviate(row.path()) + " -> "
                + response.statusCode() + " "
                + abbreviate(body);

        assertThat(response.statusCode()).as("never a 5xx: " + described).isLessThan(500);
        assertThat(response.statusCode()).as(described).isEqualTo(row.status());
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .as(described).startsWith("application/problem+json");
        JsonNode json = Api.JSON.readTree(body);
        String code = json.path("code").asString("");
        assertThat(code).as(described).isNotEmpty().isNotEqualTo("internal_error");
        assertThat(KNOWN_CODES).as(described).contains(code);
        assertThat(code).as(described).isEqualTo(row.code());
        assertThat(json.path("status").asInt()).as(described).isEqualTo(row.status());
        assertThat(body).as(described).doesNotContain("Exception", "at io.holdfast", "SQL");
    }

    // ------------------------------------------------------------------------------------------ the rows

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        catalogReads(rows);
        adminAuth(rows);
        adminLocations(rows);
        adminRules(rows);
        adminServices(rows);
        adminStaff(rows);
        workingHours(rows);
        timeOff(rows);
        catalogueComplete(rows);
        availability(rows);
        selections(rows);
        holdPlacing(rows);
        holdManaging(rows);
        bookingConfirming(rows);
        bookingManaging(rows);
        adminBookings(rows);
        identity(rows);
        adminOutbox(rows);
        adminCache(rows);
        return rows.stream();
    }

    private static void catalogReads(List<Arguments> rows) {
        rows.add(row("staff: locationId not a number", "GET", "/api/v1/staff?locationId=abc", null, 400));
        rows.add(row("staff: locationId negative", "GET", "/api/v1/staff?locationId=-1", null, 400));
        rows.add(row("staff: locationId zero", "GET", "/api/v1/staff?locationId=0", null, 400));
        rows.add(row("staff: locationId overflows a long", "GET", "/api/v1/staff?locationId=99999999999999999999",
                null, 400));
        rows.add(row("staff: locationId fractional", "GET", "/api/v1/staff?locationId=1.5", null, 400));
        rows.add(row("locations: POST not allowed", "POST", "/api/v1/locations", "{}", 405, "method_not_allowed"));
        rows.add(row("services: DELETE not allowed", "DELETE", "/api/v1/services", null, 405, "method_not_allowed"));
        rows.add(row("staff: PUT not allowed", "PUT", "/api/v1/staff", "[]", 405, "method_not_allowed"));
        rows.add(row("locations: only XML acceptable", "GET", "/api/v1/locations", null, 406, "not_acceptable",
                "Accept", "application/xml"));
        rows.add(row("locations: a header of 100k chars", "GET", "/api/v1/locations", null, 400, "validation_failed",
                "X-Padding", HUGE));
        rows.add(row("unknown path", "GET", "/api/v1/nothing-here", null, 404, "not_found"));
        rows.add(row("unknown path below a known one", "GET", "/api/v1/locations/1/nothing", null, 404, "not_found"));
        // issue #15 finding 8: Spring's error page asked for directly answered 500, and TRACE a non-problem body
        rows.add(row("the error page asked for directly", "GET", "/error", null, 404, "not_found"));
        rows.add(row("the error page posted to", "POST", "/error", "{}", 404, "not_found"));
        rows.add(row("the error page with a status parameter", "GET", "/error?status=500", null, 404, "not_found"));
        rows.add(row("TRACE on an API path", "TRACE", "/api/v1/locations", null, 405, "method_not_allowed"));
        rows.add(row("TRACE on a page", "TRACE", "/", null, 405, "method_not_allowed"));
    }

    /** Every admin endpoint: no token 401, wrong token or scheme 403. */
    private static void adminAuth(List<Arguments> rows) {
        String[][] endpoints = {
                {"POST", "/api/v1/admin/locations", "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":30}"},
                {"PUT", "/api/v1/admin/locations/{loc}/rules", "{\"minNoticeMinutes\":0,\"bookingWindowDays\":5,\"cancelCutoffMinutes\":0}"},
                {"POST", "/api/v1/admin/services", "{\"name\":\"X\",\"durationMinutes\":30,\"priceCents\":1}"},
                {"POST", "/api/v1/admin/staff", "{\"name\":\"X\",\"locationId\":{loc},\"serviceIds\":[]}"},
                {"PUT", "/api/v1/admin/staff/{staff}/working-hours", "[]"},
                {"GET", "/api/v1/admin/staff/{staff}/working-hours", null},
                {"GET", "/api/v1/admin/staff/{staff}/time-off", null},
                {"DELETE", "/api/v1/admin/staff/{staff}", null},
                {"PATCH", "/api/v1/admin/locations/{loc}", "{\"name\":\"Y\"}"},
                {"GET", "/api/v1/admin/locations/{loc}/rules", null},
                {"GET", "/api/v1/admin/services", null},
                {"POST", "/api/v1/admin/staff/{staff}/time-off", "{\"start\":\"{start}\",\"end\":\"{farAhead}\"}"},
                {"GET", "/api/v1/admin/bookings?date={day}", null},
                {"GET", "/api/v1/admin/outbox", null},
                {"GET", "/api/v1/admin/cache/health", null},
                {"GET", "/api/v1/admin/cache/stats", null},
                {"GET", "/api/v1/admin/cache/performance", null},
                {"POST", "/api/v1/admin/cache/maintenance", null},
                {"DELETE", "/api/v1/admin/cache?pattern=*", null},
                {"GET", "/api/v1/admin/cache/debug/key?key=x", null},
                {"GET", "/api/v1/admin/dashboard/today", null},
                {"GET", "/api/v1/admin/redis-status", null},
                {"GET", "/api/v1/admin/holds", null},
                {"DELETE", "/api/v1/admin/holds/{hold}", null},
                {"GET", "/api/v1/admin/no-such-endpoint", null},
        };
        for (String[] e : endpoints) {
            String what = e[0] + " " + e[1];
            rows.add(row(what + ": no token", e[0], e[1], e[2], 401, "unauthorized"));
            rows.add(row(what + ": empty Authorization", e[0], e[1], e[2], 401, "unauthorized", "Authorization", ""));
            rows.add(row(what + ": wrong token", e[0], e[1], e[2], 403, "forbidden",
                    "Authorization", "Bearer not-the-admin-token"));
            rows.add(row(what + ": Basic scheme", e[0], e[1], e[2], 403, "forbidden",
                    "Authorization", "Basic " + ADMIN_TOKEN));
            rows.add(row(what + ": token of another kind (manage token)", e[0], e[1], e[2], 403, "forbidden",
                    "Authorization", "Bearer {manage}"));
        }
    }

    private static void adminLocations(List<Arguments> rows) {
        String path = "/api/v1/admin/locations";
        rows.add(admin("location: missing name", "POST", path,
                "{\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":30}", 400));
        rows.add(admin("location: blank name", "POST", path,
                "{\"name\":\"   \",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":30}", 400));
        rows.add(admin("location: name 20k chars", "POST", path,
                "{\"name\":\"" + LONG + "\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":30}", 400));
        rows.add(admin("location: name a number array", "POST", path,
                "{\"name\":[1,2],\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":30}", 400));
        rows.add(admin("location: missing timeZone", "POST", path, "{\"name\":\"X\",\"slotIntervalMinutes\":30}", 400));
        rows.add(admin("location: unknown time zone", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Mars/Olympus_Mons\",\"slotIntervalMinutes\":30}", 400));
        rows.add(admin("location: malformed time zone", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Europe//Berlin\",\"slotIntervalMinutes\":30}", 400));
        rows.add(admin("location: time zone 20k chars", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"" + LONG + "\",\"slotIntervalMinutes\":30}", 400));
        rows.add(admin("location: missing slotIntervalMinutes", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\"}", 400));
        rows.add(admin("location: slotIntervalMinutes a word", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":\"thirty\"}", 400));
        rows.add(admin("location: slotIntervalMinutes a boolean", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":true}", 400));
        rows.add(admin("location: slotIntervalMinutes fractional", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":30.5}", 400));
        rows.add(admin("location: slotIntervalMinutes not a multiple of 5", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":7}", 400));
        rows.add(admin("location: slotIntervalMinutes zero", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":0}", 400));
        rows.add(admin("location: slotIntervalMinutes negative", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":-30}", 400));
        rows.add(admin("location: slotIntervalMinutes overflows an int", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":99999999999}", 400));
        rows.add(admin("location: slotIntervalMinutes 1e999", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":1e999}", 400));
        rows.add(admin("location: negative minNoticeMinutes", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":30,\"minNoticeMinutes\":-1}", 400));
        rows.add(admin("location: zero bookingWindowDays", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":30,\"bookingWindowDays\":0}", 400));
        rows.add(admin("location: huge bookingWindowDays", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":30,\"bookingWindowDays\":1000000}", 400));
        rows.add(admin("location: negative cancelCutoffMinutes", "POST", path,
                "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":30,\"cancelCutoffMinutes\":-5}", 400));
        bodyShape(rows, "location", "POST", path, true);
    }

    private static void adminRules(List<Arguments> rows) {
        String good = "{\"minNoticeMinutes\":0,\"bookingWindowDays\":5,\"cancelCutoffMinutes\":0}";
        rows.add(admin("rules: id not a number", "PUT", "/api/v1/admin/locations/abc/rules", good, 400));
        rows.add(admin("rules: id zero", "PUT", "/api/v1/admin/locations/0/rules", good, 400));
        rows.add(admin("rules: id negative", "PUT", "/api/v1/admin/locations/-3/rules", good, 400));
        rows.add(admin("rules: unknown location", "PUT", "/api/v1/admin/locations/" + UNKNOWN + "/rules", good, 404));
        String path = "/api/v1/admin/locations/{loc}/rules";
        rows.add(admin("rules: missing bookingWindowDays", "PUT", path,
                "{\"minNoticeMinutes\":0,\"cancelCutoffMinutes\":0}", 400));
        rows.add(admin("rules: zero bookingWindowDays", "PUT", path,
                "{\"minNoticeMinutes\":0,\"bookingWindowDays\":0,\"cancelCutoffMinutes\":0}", 400));
        rows.add(admin("rules: negative minNoticeMinutes", "PUT", path,
                "{\"minNoticeMinutes\":-10,\"bookingWindowDays\":5,\"cancelCutoffMinutes\":0}", 400));
        rows.add(admin("rules: cancelCutoffMinutes a string", "PUT", path,
                "{\"minNoticeMinutes\":0,\"bookingWindowDays\":5,\"cancelCutoffMinutes\":\"soon\"}", 400));
        rows.add(admin("rules: POST not allowed", "POST", path, good, 405, "method_not_allowed"));
        bodyShape(rows, "rules", "PUT", path, true);
    }

    private static void adminServices(List<Arguments> rows) {
        String path = "/api/v1/admin/services";
        rows.add(admin("service: missing name", "POST", path, "{\"durationMinutes\":30,\"priceCents\":100}", 400));
        rows.add(admin("service: name 20k chars", "POST", path,
                "{\"name\":\"" + LONG + "\",\"durationMinutes\":30,\"priceCents\":100}", 400));
        rows.add(admin("service: missing durationMinutes", "POST", path, "{\"name\":\"X\",\"priceCents\":100}", 400));
        rows.add(admin("service: durationMinutes not a multiple of 5", "POST", path,
                "{\"name\":\"X\",\"durationMinutes\":31,\"priceCents\":100}", 400));
        rows.add(admin("service: durationMinutes zero", "POST", path,
                "{\"name\":\"X\",\"durationMinutes\":0,\"priceCents\":100}", 400));
        rows.add(admin("service: durationMinutes negative", "POST", path,
                "{\"name\":\"X\",\"durationMinutes\":-30,\"priceCents\":100}", 400));
        rows.add(admin("service: durationMinutes more than a day", "POST", path,
                "{\"name\":\"X\",\"durationMinutes\":1445,\"priceCents\":100}", 400));
        rows.add(admin("service: durationMinutes a word", "POST", path,
                "{\"name\":\"X\",\"durationMinutes\":\"half an hour\",\"priceCents\":100}", 400));
        rows.add(admin("service: durationMinutes fractional", "POST", path,
                "{\"name\":\"X\",\"durationMinutes\":30.5,\"priceCents\":100}", 400));
        rows.add(admin("service: bufferBeforeMinutes not a multiple of 5", "POST", path,
                "{\"name\":\"X\",\"durationMinutes\":30,\"bufferBeforeMinutes\":3,\"priceCents\":100}", 400));
        rows.add(admin("service: bufferAfterMinutes negative", "POST", path,
                "{\"name\":\"X\",\"durationMinutes\":30,\"bufferAfterMinutes\":-5,\"priceCents\":100}", 400));
        rows.add(admin("service: bufferAfterMinutes an object", "POST", path,
                "{\"name\":\"X\",\"durationMinutes\":30,\"bufferAfterMinutes\":{},\"priceCents\":100}", 400));
        rows.add(admin("service: missing priceCents", "POST", path, "{\"name\":\"X\",\"durationMinutes\":30}", 400));
        rows.add(admin("service: negative priceCents", "POST", path,
                "{\"name\":\"X\",\"durationMinutes\":30,\"priceCents\":-1}", 400));
        rows.add(admin("service: priceCents overflows a long", "POST", path,
                "{\"name\":\"X\",\"durationMinutes\":30,\"priceCents\":99999999999999999999999}", 400));
        bodyShape(rows, "service", "POST", path, true);
    }

    private static void adminStaff(List<Arguments> rows) {
        String path = "/api/v1/admin/staff";
        rows.add(admin("staff: missing name", "POST", path, "{\"locationId\":{loc},\"serviceIds\":[]}", 400));
        rows.add(admin("staff: name 20k chars", "POST", path,
                "{\"name\":\"" + LONG + "\",\"locationId\":{loc},\"serviceIds\":[]}", 400));
        rows.add(admin("staff: missing locationId", "POST", path, "{\"name\":\"X\",\"serviceIds\":[]}", 400));
        rows.add(admin("staff: locationId zero", "POST", path, "{\"name\":\"X\",\"locationId\":0,\"serviceIds\":[]}", 400));
        rows.add(admin("staff: locationId negative", "POST", path,
                "{\"name\":\"X\",\"locationId\":-7,\"serviceIds\":[]}", 400));
        rows.add(admin("staff: locationId a word", "POST", path,
                "{\"name\":\"X\",\"locationId\":\"main\",\"serviceIds\":[]}", 400));
        rows.add(admin("staff: unknown locationId", "POST", path,
                "{\"name\":\"X\",\"locationId\":" + UNKNOWN + ",\"serviceIds\":[]}", 404));
        rows.add(admin("staff: missing serviceIds", "POST", path, "{\"name\":\"X\",\"locationId\":{loc}}", 400));
        rows.add(admin("staff: serviceIds not an array", "POST", path,
                "{\"name\":\"X\",\"locationId\":{loc},\"serviceIds\":{service}}", 400));
        rows.add(admin("staff: serviceIds with null", "POST", path,
                "{\"name\":\"X\",\"locationId\":{loc},\"serviceIds\":[null]}", 400));
        rows.add(admin("staff: serviceIds with zero", "POST", path,
                "{\"name\":\"X\",\"locationId\":{loc},\"serviceIds\":[0]}", 400));
        rows.add(admin("staff: serviceIds with negative", "POST", path,
                "{\"name\":\"X\",\"locationId\":{loc},\"serviceIds\":[-1]}", 400));
        rows.add(admin("staff: unknown serviceId", "POST", path,
                "{\"name\":\"X\",\"locationId\":{loc},\"serviceIds\":[{service}," + UNKNOWN + "]}", 404));
        bodyShape(rows, "staff", "POST", path, true);
    }

    private static void workingHours(List<Arguments> rows) {
        String path = "/api/v1/admin/staff/{staff}/working-hours";
        rows.add(admin("hours: staff id not a number", "PUT", "/api/v1/admin/staff/abc/working-hours", "[]", 400));
        rows.add(admin("hours: staff id zero", "PUT", "/api/v1/admin/staff/0/working-hours", "[]", 400));
        rows.add(admin("hours: staff id negative", "PUT", "/api/v1/admin/staff/-1/working-hours", "[]", 400));
        rows.add(admin("hours: staff id overflows a long", "PUT",
                "/api/v1/admin/staff/99999999999999999999/working-hours", "[]", 400));
        rows.add(admin("hours: unknown staff", "PUT", "/api/v1/admin/staff/" + UNKNOWN + "/working-hours", "[]", 404));
        rows.add(admin("hours: object instead of array", "PUT", path,
                "{\"dayOfWeek\":\"MONDAY\",\"start\":\"09:00\",\"end\":\"17:00\"}", 400));
        rows.add(admin("hours: unknown weekday", "PUT", path,
                "[{\"dayOfWeek\":\"FUNDAY\",\"start\":\"09:00\",\"end\":\"17:00\"}]", 400));
        rows.add(admin("hours: weekday a number out of range", "PUT", path,
                "[{\"dayOfWeek\":9,\"start\":\"09:00\",\"end\":\"17:00\"}]", 400));
        rows.add(admin("hours: missing weekday", "PUT", path, "[{\"start\":\"09:00\",\"end\":\"17:00\"}]", 400));
        rows.add(admin("hours: missing end", "PUT", path, "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"09:00\"}]", 400));
        rows.add(admin("hours: hour 25", "PUT", path,
                "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"25:00\",\"end\":\"26:00\"}]", 400));
        rows.add(admin("hours: minute 61", "PUT", path,
                "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"09:61\",\"end\":\"17:00\"}]", 400));
        rows.add(admin("hours: 9am", "PUT", path, "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"9am\",\"end\":\"5pm\"}]", 400));
        rows.add(admin("hours: time 20k chars", "PUT", path,
                "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"" + LONG + "\",\"end\":\"17:00\"}]", 400));
        rows.add(admin("hours: end before start", "PUT", path,
                "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"17:00\",\"end\":\"09:00\"}]", 400));
        rows.add(admin("hours: empty window", "PUT", path,
                "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"09:00\",\"end\":\"09:00\"}]", 400));
        rows.add(admin("hours: off the 5-minute grid", "PUT", path,
                "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"09:03\",\"end\":\"17:00\"}]", 400));
        rows.add(admin("hours: seconds", "PUT", path,
                "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"09:00:30\",\"end\":\"17:00\"}]", 400));
        rows.add(admin("hours: overlapping windows", "PUT", path,
                "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"09:00\",\"end\":\"13:00\"},"
                        + "{\"dayOfWeek\":\"MONDAY\",\"start\":\"12:00\",\"end\":\"17:00\"}]", 400));
        rows.add(admin("hours: null window", "PUT", path, "[null]", 400));
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"dayOfWeek\":\"MONDAY\",\"start\":\"00:00\",\"end\":\"00:05\"}");
        }
        rows.add(admin("hours: 101 windows", "PUT", path, many.append("]").toString(), 400));
        rows.add(admin("hours: POST not allowed", "POST", path, "[]", 405, "method_not_allowed"));
        bodyShape(rows, "hours", "PUT", path, true);
    }

    /** The complete admin catalogue (API.md "Admin catalogue, complete"): reads, PATCH, DELETE. */
    private static void catalogueComplete(List<Arguments> rows) {
        for (String entity : new String[] {"locations", "services", "staff"}) {
            String base = "/api/v1/admin/" + entity + "/";
            rows.add(admin(entity + ": GET id not a number", "GET", base + "abc", null, 400));
            rows.add(admin(entity + ": GET id zero", "GET", base + "0", null, 400));
            rows.add(admin(entity + ": GET unknown", "GET", base + UNKNOWN, null, 404));
            rows.add(admin(entity + ": PATCH unknown", "PATCH", base + UNKNOWN, "{\"name\":\"Y\"}", 404));
            rows.add(admin(entity + ": PATCH id negative", "PATCH", base + "-1", "{\"name\":\"Y\"}", 400));
            rows.add(admin(entity + ": PATCH blank name", "PATCH", base + UNKNOWN, "{\"name\":\" \"}", 400));
            rows.add(admin(entity + ": PATCH name an array", "PATCH", base + UNKNOWN, "{\"name\":[1]}", 400));
            rows.add(admin(entity + ": PATCH not JSON", "PATCH", base + UNKNOWN, "{name", 400));
            rows.add(admin(entity + ": DELETE unknown", "DELETE", base + UNKNOWN, null, 404));
            rows.add(admin(entity + ": DELETE id a word", "DELETE", base + "x", null, 400));
        }
        rows.add(admin("location: PATCH unknown time zone", "PATCH", "/api/v1/admin/locations/{loc}",
                "{\"timeZone\":\"Mars/Olympus\"}", 400));
        rows.add(admin("location: PATCH slotIntervalMinutes not a multiple of 5", "PATCH",
                "/api/v1/admin/locations/{loc}", "{\"slotIntervalMinutes\":7}", 400));
        rows.add(admin("location: PATCH zero bookingWindowDays", "PATCH", "/api/v1/admin/locations/{loc}",
                "{\"bookingWindowDays\":0}", 400));
        rows.add(admin("location: PATCH cancelAffected a word", "PATCH", "/api/v1/admin/locations/{loc}",
                "{\"cancelAffected\":\"maybe\"}", 400));
        rows.add(admin("service: PATCH negative price", "PATCH", "/api/v1/admin/services/{service}",
                "{\"priceCents\":-1}", 400));
        rows.add(admin("service: PATCH duration not a multiple of 5", "PATCH", "/api/v1/admin/services/{service}",
                "{\"durationMinutes\":31}", 400));
        rows.add(admin("service: PATCH buffer too long", "PATCH", "/api/v1/admin/services/{service}",
                "{\"bufferAfterMinutes\":500}", 400));
        rows.add(admin("staff: PATCH unknown location", "PATCH", "/api/v1/admin/staff/{staff}",
                "{\"locationId\":" + UNKNOWN + "}", 404));
        rows.add(admin("staff: PATCH unknown service", "PATCH", "/api/v1/admin/staff/{staff}",
                "{\"serviceIds\":[" + UNKNOWN + "]}", 404));
        rows.add(admin("staff: PATCH serviceIds with zero", "PATCH", "/api/v1/admin/staff/{staff}",
                "{\"serviceIds\":[0]}", 400));
        rows.add(admin("rules: GET unknown location", "GET", "/api/v1/admin/locations/" + UNKNOWN + "/rules", null, 404));
        rows.add(admin("rules: GET id a word", "GET", "/api/v1/admin/locations/abc/rules", null, 400));
        rows.add(admin("hours: GET unknown staff", "GET", "/api/v1/admin/staff/" + UNKNOWN + "/working-hours", null, 404));
        rows.add(admin("hours: cancelAffected a word", "PUT", "/api/v1/admin/staff/{staff}/working-hours?cancelAffected=perhaps",
                "[]", 400));
        rows.add(admin("time off: GET unknown staff", "GET", "/api/v1/admin/staff/" + UNKNOWN + "/time-off", null, 404));
        rows.add(admin("time off: DELETE unknown", "DELETE", "/api/v1/admin/staff/{staff}/time-off/" + UNKNOWN, null, 404));
        rows.add(admin("time off: DELETE id zero", "DELETE", "/api/v1/admin/staff/{staff}/time-off/0", null, 400));
        rows.add(admin("time off: cancelAffected a number", "POST", "/api/v1/admin/staff/{staff}/time-off",
                "{\"start\":\"{start}\",\"end\":\"{farAhead}\",\"cancelAffected\":[1]}", 400));
    }

    private static void timeOff(List<Arguments> rows) {
        String path = "/api/v1/admin/staff/{staff}/time-off";
        rows.add(admin("time off: unknown staff", "POST", "/api/v1/admin/staff/" + UNKNOWN + "/time-off",
                "{\"start\":\"{start}\",\"end\":\"{farAhead}\"}", 404));
        rows.add(admin("time off: staff id zero", "POST", "/api/v1/admin/staff/0/time-off",
                "{\"start\":\"{start}\",\"end\":\"{farAhead}\"}", 400));
        rows.add(admin("time off: missing start", "POST", path, "{\"end\":\"{farAhead}\"}", 400));
        rows.add(admin("time off: missing end", "POST", path, "{\"start\":\"{start}\"}", 400));
        rows.add(admin("time off: 30 February", "POST", path,
                "{\"start\":\"2026-02-30T10:00:00+01:00\",\"end\":\"2026-03-02T10:00:00+01:00\"}", 400));
        rows.add(admin("time off: month 13", "POST", path,
                "{\"start\":\"2026-13-01T10:00:00+01:00\",\"end\":\"2026-13-02T10:00:00+01:00\"}", 400));
        rows.add(admin("time off: no offset", "POST", path,
                "{\"start\":\"2026-11-23T10:00:00\",\"end\":\"2026-11-23T12:00:00\"}", 400));
        rows.add(admin("time off: date only", "POST", path, "{\"start\":\"2026-11-23\",\"end\":\"2026-11-24\"}", 400));
        rows.add(admin("time off: offset out of range", "POST", path,
                "{\"start\":\"2026-11-23T10:00:00+19:00\",\"end\":\"2026-11-23T12:00:00+01:00\"}", 400));
        rows.add(admin("time off: start at the end of time", "POST", path,
                "{\"start\":\"+999999999-12-31T10:00:00+01:00\",\"end\":\"+999999999-12-31T12:00:00+01:00\"}", 400));
        rows.add(admin("time off: start a number", "POST", path, "{\"start\":1763888400,\"end\":\"{farAhead}\"}", 400));
        rows.add(admin("time off: end before start", "POST", path,
                "{\"start\":\"{farAhead}\",\"end\":\"{start}\"}", 400));
        rows.add(admin("time off: start 20k chars", "POST", path,
                "{\"start\":\"" + LONG + "\",\"end\":\"{farAhead}\"}", 400));
        rows.add(admin("time off: reason 20k chars", "POST", path,
                "{\"start\":\"{start}\",\"end\":\"{farAhead}\",\"reason\":\"" + LONG + "\"}", 400));
        bodyShape(rows, "time off", "POST", path, true);
    }

    private static void availability(List<Arguments> rows) {
        String base = "/api/v1/availability?";
        String ok = "staffId={staff}&serviceId={service}&date={day}";
        rows.add(row("availability: no parameters", "GET", "/api/v1/availability", null, 400));
        rows.add(row("availability: missing staffId", "GET", base + "serviceId={service}&date={day}", null, 400));
        rows.add(row("availability: missing serviceId", "GET", base + "staffId={staff}&date={day}", null, 400));
        rows.add(row("availability: missing date", "GET", base + "staffId={staff}&serviceId={service}", null, 400));
        rows.add(row("availability: staffId a word", "GET", base + "staffId=alex&serviceId={service}&date={day}", null, 400));
        rows.add(row("availability: staffId zero", "GET", base + "staffId=0&serviceId={service}&date={day}", null, 400));
        rows.add(row("availability: staffId negative", "GET", base + "staffId=-2&serviceId={service}&date={day}", null, 400));
        rows.add(row("availability: serviceId negative", "GET", base + "staffId={staff}&serviceId=-2&date={day}", null, 400));
        rows.add(row("availability: staffId empty", "GET", base + "staffId=&serviceId={service}&date={day}", null, 400));
        rows.add(row("availability: unknown staff", "GET",
                base + "staffId=" + UNKNOWN + "&serviceId={service}&date={day}", null, 404));
        rows.add(row("availability: unknown service", "GET",
                base + "staffId={staff}&serviceId=" + UNKNOWN + "&date={day}", null, 404));
        rows.add(row("availability: service the staff does not offer", "GET",
                base + "staffId={staff}&serviceId={otherService}&date={day}", null, 404));
        rows.add(row("availability: 30 February", "GET", base + "staffId={staff}&serviceId={service}&date=2026-02-30",
                null, 400));
        rows.add(row("availability: month 13", "GET", base + "staffId={staff}&serviceId={service}&date=2026-13-01",
                null, 400));
        rows.add(row("availability: date with time", "GET",
                base + "staffId={staff}&serviceId={service}&date=2026-11-23T09:00", null, 400));
        rows.add(row("availability: date not zero-padded", "GET",
                base + "staffId={staff}&serviceId={service}&date=2026-1-5", null, 400));
        rows.add(row("availability: date a word", "GET", base + "staffId={staff}&serviceId={service}&date=tomorrow",
                null, 400));
        rows.add(row("availability: date at the end of time", "GET",
                base + "staffId={staff}&serviceId={service}&date=%2B999999999-12-31", null, 400));
        rows.add(row("availability: date at the start of time", "GET",
                base + "staffId={staff}&serviceId={service}&date=-999999999-01-01", null, 400));
        rows.add(row("availability: date 2000 chars", "GET",
                base + "staffId={staff}&serviceId={service}&date=" + "9".repeat(2000), null, 400));
        rows.add(row("availability: clientId too short", "GET", base + ok + "&clientId=abc", null, 400));
        rows.add(row("availability: clientId with bad characters", "GET", base + ok + "&clientId=client%20id%21%21",
                null, 400));
        rows.add(row("availability: clientId 2000 chars", "GET", base + ok + "&clientId=" + "c".repeat(2000), null, 400));
        // Past Tomcat's request-line limit: refused before Spring, still as problem+json.
        rows.add(row("availability: clientId 100k chars", "GET", base + ok + "&clientId=" + HUGE, null, 400));
        rows.add(row("availability: POST not allowed", "POST", base + ok, "{}", 405, "method_not_allowed"));
    }

    private static void selections(List<Arguments> rows) {
        String path = "/api/v1/selections";
        rows.add(row("select: missing staffId", "PUT", path,
                "{\"date\":\"{day}\",\"time\":\"10:00\",\"clientId\":\"{client}\"}", 400));
        rows.add(row("select: staffId zero", "PUT", path,
                "{\"staffId\":0,\"date\":\"{day}\",\"time\":\"10:00\",\"clientId\":\"{client}\"}", 400));
        rows.add(row("select: staffId a word", "PUT", path,
                "{\"staffId\":\"sam\",\"date\":\"{day}\",\"time\":\"10:00\",\"clientId\":\"{client}\"}", 400));
        rows.add(row("select: unknown staff", "PUT", path,
                "{\"staffId\":" + UNKNOWN + ",\"date\":\"{day}\",\"time\":\"10:00\",\"clientId\":\"{client}\"}", 404));
        rows.add(row("select: 30 February", "PUT", path,
                "{\"staffId\":{staff},\"date\":\"2026-02-30\",\"time\":\"10:00\",\"clientId\":\"{client}\"}", 400));
        rows.add(row("select: month 13", "PUT", path,
                "{\"staffId\":{staff},\"date\":\"2026-13-01\",\"time\":\"10:00\",\"clientId\":\"{client}\"}", 400));
        rows.add(row("select: date at the end of time", "PUT", path,
                "{\"staffId\":{staff},\"date\":\"+999999999-12-31\",\"time\":\"10:00\",\"clientId\":\"{client}\"}", 400));
        rows.add(row("select: date not zero-padded", "PUT", path,
                "{\"staffId\":{staff},\"date\":\"2026-1-5\",\"time\":\"10:00\",\"clientId\":\"{client}\"}", 400));
        rows.add(row("select: date a number", "PUT", path,
                "{\"staffId\":{staff},\"date\":20261123,\"time\":\"10:00\",\"clientId\":\"{client}\"}", 400));
        rows.add(row("select: date an array", "PUT", path,
                "{\"staffId\":{staff},\"date\":[2026,11,23],\"time\":\"10:00\",\"clientId\":\"{client}\"}", 400));
        rows.add(row("select: missing date", "PUT", path,
                "{\"staffId\":{staff},\"time\":\"10:00\",\"clientId\":\"{client}\"}", 400));
        rows.add(row("select: time 25:00", "PUT", path,
                "{\"staffId\":{staff},\"date\":\"{day}\",\"time\":\"25:00\",\"clientId\":\"{client}\"}", 400));
        rows.add(row("select: time 9:00", "PUT", path,
                "{\"staffId\":{staff},\"date\":\"{day}\",\"time\":\"9:00\",\"clientId\":\"{client}\"}", 400));
        rows.add(row("select: time 20k chars", "PUT", path,
                "{\"staffId\":{staff},\"date\":\"{day}\",\"time\":\"" + LONG + "\",\"clientId\":\"{client}\"}", 400));
        rows.add(row("select: missing clientId", "PUT", path,
                "{\"staffId\":{staff},\"date\":\"{day}\",\"time\":\"10:00\"}", 400));
        rows.add(row("select: clientId too short", "PUT", path,
                "{\"staffId\":{staff},\"date\":\"{day}\",\"time\":\"10:00\",\"clientId\":\"abc\"}", 400));
        rows.add(row("select: clientId 20k chars", "PUT", path,
                "{\"staffId\":{staff},\"date\":\"{day}\",\"time\":\"10:00\",\"clientId\":\"" + LONG + "\"}", 400));
        bodyShape(rows, "select", "PUT", path, false);

        String del = path + "?";
        rows.add(row("unselect: no parameters", "DELETE", path, null, 400));
        rows.add(row("unselect: missing clientId", "DELETE", del + "staffId={staff}&date={day}", null, 400));
        rows.add(row("unselect: missing date", "DELETE", del + "staffId={staff}&clientId={client}", null, 400));
        rows.add(row("unselect: staffId negative", "DELETE", del + "staffId=-1&date={day}&clientId={client}", null, 400));
        rows.add(row("unselect: staffId a word", "DELETE", del + "staffId=x&date={day}&clientId={client}", null, 400));
        rows.add(row("unselect: unknown staff", "DELETE",
                del + "staffId=" + UNKNOWN + "&date={day}&clientId={client}", null, 404));
        rows.add(row("unselect: 30 February", "DELETE", del + "staffId={staff}&date=2026-02-30&clientId={client}",
                null, 400));
        rows.add(row("unselect: date at the end of time", "DELETE",
                del + "staffId={staff}&date=%2B999999999-12-31&clientId={client}", null, 400));
        rows.add(row("unselect: month 13", "DELETE", del + "staffId={staff}&date=2026-13-01&clientId={client}",
                null, 400));
        rows.add(row("unselect: clientId with bad characters", "DELETE",
                del + "staffId={staff}&date={day}&clientId=%3Cscript%3E", null, 400));
        rows.add(row("selections: GET not allowed", "GET", path, null, 405, "method_not_allowed"));
    }

    private static void holdPlacing(List<Arguments> rows) {
        String path = "/api/v1/holds";
        rows.add(row("hold: missing clientId", "POST", path,
                "{\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{start}\"}", 400));
        rows.add(row("hold: clientId too short", "POST", path,
                "{\"clientId\":\"abc\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{start}\"}", 400));
        rows.add(row("hold: clientId 20k chars", "POST", path,
                "{\"clientId\":\"" + LONG + "\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{start}\"}", 400));
        rows.add(row("hold: clientId a number", "POST", path,
                "{\"clientId\":12345678,\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{start}\"}", 400));
        rows.add(row("hold: missing start", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service}}", 400));
        rows.add(row("hold: missing staffId", "POST", path,
                "{\"clientId\":\"{client}\",\"serviceId\":{service},\"start\":\"{start}\"}", 400));
        rows.add(row("hold: nothing to hold", "POST", path, "{\"clientId\":\"{client}\"}", 400));
        rows.add(row("hold: staffId zero", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":0,\"serviceId\":{service},\"start\":\"{start}\"}", 400));
        rows.add(row("hold: serviceId negative", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":-1,\"start\":\"{start}\"}", 400));
        rows.add(row("hold: staffId a word", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":\"alex\",\"serviceId\":{service},\"start\":\"{start}\"}", 400));
        rows.add(row("hold: unknown staff", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":" + UNKNOWN + ",\"serviceId\":{service},\"start\":\"{start}\"}", 404));
        rows.add(row("hold: unknown service", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":" + UNKNOWN + ",\"start\":\"{start}\"}", 404));
        rows.add(row("hold: service the staff does not offer", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{otherService},\"start\":\"{start}\"}",
                409, "slot_unavailable"));
        rows.add(row("hold: 30 February", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"2026-02-30T10:00:00+01:00\"}", 400));
        rows.add(row("hold: month 13", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"2026-13-01T10:00:00+01:00\"}", 400));
        rows.add(row("hold: start without offset", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"2026-11-23T10:00:00\"}", 400));
        rows.add(row("hold: start a number", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},\"start\":1763888400}", 400));
        rows.add(row("hold: start 20k chars", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"" + LONG + "\"}", 400));
        rows.add(row("hold: start at the end of time", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"+999999999-12-31T10:00:00+01:00\"}",
                400));
        rows.add(row("hold: start at the start of time", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"-999999999-01-01T10:00:00+01:00\"}",
                400));
        rows.add(row("hold: start in the past", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{past}\"}",
                409, "slot_unavailable"));
        rows.add(row("hold: start beyond the booking window", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{farAhead}\"}",
                409, "slot_unavailable"));
        rows.add(row("hold: start off the slot grid", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{offGrid}\"}",
                409, "slot_unavailable"));
        rows.add(row("hold: start outside working hours", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{closed}\"}",
                409, "slot_unavailable"));
        rows.add(row("hold: start already booked", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{bookedStart}\"}",
                409, "slot_booked"));
        rows.add(row("hold: start held by someone else", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{heldStart}\"}",
                409, "slot_held"));
        rows.add(row("hold: single and batch at once", "POST", path,
                "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{start}\","
                        + "\"items\":[{\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{start}\"}]}", 400));
        rows.add(row("hold: empty batch", "POST", path, "{\"clientId\":\"{client}\",\"items\":[]}", 400));
        rows.add(row("hold: batch with null item", "POST", path, "{\"clientId\":\"{client}\",\"items\":[null]}", 400));
        rows.add(row("hold: batch item missing start", "POST", path,
                "{\"clientId\":\"{client}\",\"items\":[{\"staffId\":{staff},\"serviceId\":{service}}]}", 400));
        rows.add(row("hold: batch item with 30 February", "POST", path,
                "{\"clientId\":\"{client}\",\"items\":[{\"staffId\":{staff},\"serviceId\":{service},"
                        + "\"start\":\"2026-02-30T10:00:00+01:00\"}]}", 400));
        rows.add(row("hold: batch items not an array", "POST", path,
                "{\"clientId\":\"{client}\",\"items\":{\"staffId\":{staff}}}", 400));
        rows.add(row("hold: batch of the same slot twice", "POST", path,
                "{\"clientId\":\"{client}\",\"items\":[{\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{start}\"},"
                        + "{\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{start}\"}]}", 400));
        StringBuilder eleven = new StringBuilder("{\"clientId\":\"{client}\",\"items\":[");
        for (int i = 0; i < 11; i++) {
            eleven.append(i == 0 ? "" : ",").append("{\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{start}\"}");
        }
        rows.add(row("hold: batch of 11", "POST", path, eleven.append("]}").toString(), 400));
        rows.add(row("holds: GET not allowed", "GET", path, null, 405, "method_not_allowed"));
        bodyShape(rows, "hold", "POST", path, false);
    }

    private static void holdManaging(List<Arguments> rows) {
        for (String method : List.of("PATCH", "DELETE")) {
            String verb = method.equals("PATCH") ? "extend" : "release";
            rows.add(row(verb + ": missing Hold-Token", method, "/api/v1/holds/{hold}", null, 400));
            rows.add(row(verb + ": wrong Hold-Token", method, "/api/v1/holds/{hold}", null, 403, "forbidden",
                    "Hold-Token", "not-the-token"));
            // API.md is silent; an empty token is present but matches no hold, like any other wrong token.
            rows.add(row(verb + ": empty Hold-Token", method, "/api/v1/holds/{hold}", null, 403, "forbidden",
                    "Hold-Token", ""));
            rows.add(row(verb + ": Hold-Token 3000 chars", method, "/api/v1/holds/{hold}", null, 400,
                    "validation_failed", "Hold-Token", "t".repeat(3000)));
            rows.add(row(verb + ": Hold-Token 100k chars", method, "/api/v1/holds/{hold}", null, 400,
                    "validation_failed", "Hold-Token", HUGE));
            rows.add(row(verb + ": token of another hold's kind (manage token)", method, "/api/v1/holds/{hold}", null,
                    403, "forbidden", "Hold-Token", "{manage}"));
            rows.add(row(verb + ": holdId not a UUID", method, "/api/v1/holds/not-a-uuid", null, 400,
                    "validation_failed", "Hold-Token", "{holdToken}"));
            rows.add(row(verb + ": holdId a number", method, "/api/v1/holds/42", null, 400, "validation_failed",
                    "Hold-Token", "{holdToken}"));
            rows.add(row(verb + ": holdId a UUID with a bad digit", method,
                    "/api/v1/holds/7d444840-9dc0-11d1-b245-5ffdce74fazz", null, 400, "validation_failed",
                    "Hold-Token", "{holdToken}"));
            rows.add(row(verb + ": holdId 2000 chars", method, "/api/v1/holds/" + "a".repeat(2000), null, 400,
                    "validation_failed", "Hold-Token", "{holdToken}"));
            rows.add(row(verb + ": unknown holdId", method, "/api/v1/holds/" + UNKNOWN_UUID, null, 404, "not_found",
                    "Hold-Token", "{holdToken}"));
            rows.add(row(verb + ": the booking's id as holdId", method, "/api/v1/holds/{booking}", null, 404,
                    "not_found", "Hold-Token", "{manage}"));
        }
        rows.add(row("hold: PUT not allowed", "PUT", "/api/v1/holds/{hold}", "{}", 405, "method_not_allowed",
                "Hold-Token", "{holdToken}"));
    }

    private static void bookingConfirming(List<Arguments> rows) {
        String path = "/api/v1/bookings";
        String customer = "\"customer\":{\"name\":\"Ann\",\"email\":\"ann@example.com\"}";
        String good = "{\"holdId\":\"{hold}\",\"holdToken\":\"{holdToken}\"," + customer + "}";
        rows.add(row("book: missing Idempotency-Key", "POST", path, good, 400, "validation_failed"));
        rows.add(row("book: empty Idempotency-Key", "POST", path, good, 400, "validation_failed",
                "Idempotency-Key", ""));
        rows.add(row("book: Idempotency-Key 2000 chars", "POST", path, good, 400, "validation_failed",
                "Idempotency-Key", "k".repeat(2000)));
        rows.add(row("book: Idempotency-Key reused with another body", "POST", path, good, 422,
                "idempotency_key_reused", "Idempotency-Key", "{usedKey}", "Authorization", "Bearer {session}"));
        rows.add(row("book: no session", "POST", path, good, 401, "unauthorized", "Idempotency-Key", "{freshKey}"));
        rows.add(row("book: empty Authorization", "POST", path, good, 401, "unauthorized",
                "Idempotency-Key", "{freshKey}", "Authorization", ""));
        rows.add(row("book: bearer that is no session token", "POST", path, good, 401, "unauthorized",
                "Idempotency-Key", "{freshKey}", "Authorization", "Bearer not-a-session"));
        rows.add(row("book: well-formed unknown session token", "POST", path, good, 401, "unauthorized",
                "Idempotency-Key", "{freshKey}", "Authorization", "Bearer " + "A".repeat(43)));
        rows.add(row("book: session token in the Basic scheme", "POST", path, good, 401, "unauthorized",
                "Idempotency-Key", "{freshKey}", "Authorization", "Basic {session}"));
        rows.add(row("book: the admin token as session", "POST", path, good, 401, "unauthorized",
                "Idempotency-Key", "{freshKey}", "Authorization", ADMIN));
        rows.add(row("book: the manage token as session", "POST", path, good, 401, "unauthorized",
                "Idempotency-Key", "{freshKey}", "Authorization", "Bearer {manage}"));
        rows.add(row("book: session of another email", "POST", path, good, 403, "forbidden",
                "Idempotency-Key", "{freshKey}", "Authorization", "Bearer {otherSession}"));
        rows.add(book("book: customer email in another case than the session's is the same email",
                "{\"holdId\":\"" + UNKNOWN_UUID + "\",\"holdToken\":\"{holdToken}\","
                        + "\"customer\":{\"name\":\"Ann\",\"email\":\"ANN@Example.com\"}}", 404));
        rows.add(book("book: customer email without top-level domain", "{\"holdId\":\"{hold}\",\"holdToken\":\"{holdToken}\","
                + "\"customer\":{\"name\":\"Ann\",\"email\":\"ann@localhost\"}}", 400));
        rows.add(book("book: customer email with a header break", "{\"holdId\":\"{hold}\",\"holdToken\":\"{holdToken}\","
                + "\"customer\":{\"name\":\"Ann\",\"email\":\"ann@example.com\\r\\nBcc: eve@example.com\"}}", 400));
        rows.add(row("book: Idempotency-Key 100k chars", "POST", path, good, 400, "validation_failed",
                "Idempotency-Key", HUGE));
        rows.add(book("book: missing holdId", "{\"holdToken\":\"{holdToken}\"," + customer + "}", 400));
        rows.add(book("book: holdId not a UUID", "{\"holdId\":\"hold-1\",\"holdToken\":\"{holdToken}\"," + customer + "}", 400));
        rows.add(book("book: holdId a number", "{\"holdId\":12,\"holdToken\":\"{holdToken}\"," + customer + "}", 400));
        rows.add(book("book: holdId 20k chars",
                "{\"holdId\":\"" + LONG + "\",\"holdToken\":\"{holdToken}\"," + customer + "}", 400));
        rows.add(book("book: unknown holdId",
                "{\"holdId\":\"" + UNKNOWN_UUID + "\",\"holdToken\":\"{holdToken}\"," + customer + "}", 404));
        rows.add(book("book: missing holdToken", "{\"holdId\":\"{hold}\"," + customer + "}", 400));
        rows.add(book("book: wrong holdToken", "{\"holdId\":\"{hold}\",\"holdToken\":\"nope\"," + customer + "}",
                403, "forbidden"));
        rows.add(book("book: holdToken 20k chars",
                "{\"holdId\":\"{hold}\",\"holdToken\":\"" + LONG + "\"," + customer + "}", 400));
        rows.add(book("book: missing customer", "{\"holdId\":\"{hold}\",\"holdToken\":\"{holdToken}\"}", 400));
        rows.add(book("book: customer a string",
                "{\"holdId\":\"{hold}\",\"holdToken\":\"{holdToken}\",\"customer\":\"Ann\"}", 400));
        rows.add(book("book: customer without email", "{\"holdId\":\"{hold}\",\"holdToken\":\"{holdToken}\","
                + "\"customer\":{\"name\":\"Ann\"}}", 400));
        rows.add(book("book: customer email not an email", "{\"holdId\":\"{hold}\",\"holdToken\":\"{holdToken}\","
                + "\"customer\":{\"name\":\"Ann\",\"email\":\"ann at example\"}}", 400));
        rows.add(book("book: customer email 20k chars", "{\"holdId\":\"{hold}\",\"holdToken\":\"{holdToken}\","
                + "\"customer\":{\"name\":\"Ann\",\"email\":\"" + LONG + "@example.com\"}}", 400));
        rows.add(book("book: customer name blank", "{\"holdId\":\"{hold}\",\"holdToken\":\"{holdToken}\","
                + "\"customer\":{\"name\":\" \",\"email\":\"ann@example.com\"}}", 400));
        rows.add(book("book: customer name 20k chars", "{\"holdId\":\"{hold}\",\"holdToken\":\"{holdToken}\","
                + "\"customer\":{\"name\":\"" + LONG + "\",\"email\":\"ann@example.com\"}}", 400));
        rows.add(book("book: phone with letters", "{\"holdId\":\"{hold}\",\"holdToken\":\"{holdToken}\","
                + "\"customer\":{\"name\":\"Ann\",\"email\":\"ann@example.com\",\"phone\":\"call me\"}}", 400));
        rows.add(book("book: notes 20k chars", "{\"holdId\":\"{hold}\",\"holdToken\":\"{holdToken}\"," + customer
                + ",\"notes\":\"" + LONG + "\"}", 400));
        rows.add(book("book: notes an object", "{\"holdId\":\"{hold}\",\"holdToken\":\"{holdToken}\"," + customer
                + ",\"notes\":{\"a\":1}}", 400));
        rows.add(row("bookings: GET list not allowed", "GET", path, null, 405, "method_not_allowed"));
        bodyShape(rows, "book", "POST", path, false, "Idempotency-Key", "{freshKey}");
    }

    private static void bookingManaging(List<Arguments> rows) {
        String reschedule = "{\"holdId\":\"{hold}\",\"holdToken\":\"{holdToken}\"}";
        String[][] endpoints = {
                {"GET", "/api/v1/bookings/%s", null},
                {"DELETE", "/api/v1/bookings/%s", null},
                {"POST", "/api/v1/bookings/%s/reschedule", reschedule},
        };
        for (String[] e : endpoints) {
            String what = e[0] + " " + e[1].replace("%s", "{id}");
            String existing = String.format(e[1], "{booking}");
            rows.add(row(what + ": id not a UUID", e[0], String.format(e[1], "booking-1"), e[2], 400,
                    "validation_failed", "Manage-Token", "{manage}"));
            rows.add(row(what + ": id a negative number", e[0], String.format(e[1], "-1"), e[2], 400,
                    "validation_failed", "Manage-Token", "{manage}"));
            rows.add(row(what + ": id 2000 chars", e[0], String.format(e[1], "b".repeat(2000)), e[2], 400,
                    "validation_failed", "Manage-Token", "{manage}"));
            rows.add(row(what + ": unknown id", e[0], String.format(e[1], UNKNOWN_UUID), e[2], 404, "not_found",
                    "Manage-Token", "{manage}"));
            rows.add(row(what + ": unknown id as admin", e[0], String.format(e[1], UNKNOWN_UUID), e[2], 404,
                    "not_found", "Authorization", ADMIN));
            rows.add(row(what + ": no Manage-Token", e[0], existing, e[2], 401, "unauthorized"));
            rows.add(row(what + ": empty Manage-Token", e[0], existing, e[2], 401, "unauthorized",
                    "Manage-Token", ""));
            rows.add(row(what + ": wrong Manage-Token", e[0], existing, e[2], 403, "forbidden",
                    "Manage-Token", "not-the-manage-token"));
            rows.add(row(what + ": the hold token as Manage-Token", e[0], existing, e[2], 403, "forbidden",
                    "Manage-Token", "{holdToken}"));
            rows.add(row(what + ": Manage-Token 3000 chars", e[0], existing, e[2], 400, "validation_failed",
                    "Manage-Token", "m".repeat(3000)));
            rows.add(row(what + ": wrong admin token and no Manage-Token", e[0], existing, e[2], 401,
                    "unauthorized", "Authorization", "Bearer wrong"));
            rows.add(row(what + ": session of another email", e[0], existing, e[2], 403, "forbidden",
                    "Authorization", "Bearer {otherSession}"));
            rows.add(row(what + ": unknown session token", e[0], existing, e[2], 401, "unauthorized",
                    "Authorization", "Bearer " + "B".repeat(43)));
        }
        String path = "/api/v1/bookings/{booking}/reschedule";
        rows.add(manage("reschedule: missing holdId", path, "{\"holdToken\":\"{holdToken}\"}", 400, "validation_failed"));
        rows.add(manage("reschedule: holdId not a UUID", path, "{\"holdId\":\"x\",\"holdToken\":\"{holdToken}\"}", 400,
                "validation_failed"));
        rows.add(manage("reschedule: missing holdToken", path, "{\"holdId\":\"{hold}\"}", 400, "validation_failed"));
        rows.add(manage("reschedule: holdToken 20k chars", path,
                "{\"holdId\":\"{hold}\",\"holdToken\":\"" + LONG + "\"}", 400, "validation_failed"));
        rows.add(manage("reschedule: unknown hold", path,
                "{\"holdId\":\"" + UNKNOWN_UUID + "\",\"holdToken\":\"{holdToken}\"}", 404, "not_found"));
        rows.add(manage("reschedule: wrong hold token", path, "{\"holdId\":\"{hold}\",\"holdToken\":\"nope\"}", 403,
                "forbidden"));
        rows.add(manage("reschedule: the booking's own id as holdId", path,
                "{\"holdId\":\"{booking}\",\"holdToken\":\"{holdToken}\"}", 404, "not_found"));
        rows.add(row("booking: PUT not allowed", "PUT", "/api/v1/bookings/{booking}", "{}", 405,
                "method_not_allowed", "Manage-Token", "{manage}"));
        bodyShape(rows, "reschedule", "POST", path, false, "Manage-Token", "{manage}");
    }

    private static void adminBookings(List<Arguments> rows) {
        String path = "/api/v1/admin/bookings";
        rows.add(admin("admin bookings: missing date", "GET", path, null, 400));
        rows.add(admin("admin bookings: 30 February", "GET", path + "?date=2026-02-30", null, 400));
        rows.add(admin("admin bookings: month 13", "GET", path + "?date=2026-13-01", null, 400));
        rows.add(admin("admin bookings: date a word", "GET", path + "?date=today", null, 400));
        rows.add(admin("admin bookings: date at the end of time", "GET", path + "?date=%2B999999999-12-31", null, 400));
        rows.add(admin("admin bookings: date at the start of time", "GET", path + "?date=-999999999-01-01", null, 400));
        rows.add(admin("admin bookings: staffId zero", "GET", path + "?date={day}&staffId=0", null, 400));
        rows.add(admin("admin bookings: staffId a word", "GET", path + "?date={day}&staffId=sam", null, 400));
        rows.add(admin("admin bookings: unknown staff", "GET", path + "?date={day}&staffId=" + UNKNOWN, null, 404));
        rows.add(admin("admin bookings: POST not allowed", "POST", path + "?date={day}", "{}", 405,
                "method_not_allowed"));
    }

    private static void identity(List<Arguments> rows) {
        String otp = "/api/v1/auth/otp";
        rows.add(row("otp: missing email", "POST", otp, "{}", 400));
        rows.add(row("otp: blank email", "POST", otp, "{\"email\":\"  \"}", 400));
        rows.add(row("otp: email not an email", "POST", otp, "{\"email\":\"ann at example\"}", 400));
        rows.add(row("otp: email without top-level domain", "POST", otp, "{\"email\":\"ann@localhost\"}", 400));
        rows.add(row("otp: email with a quoted local part", "POST", otp,
                "{\"email\":\"\\\"ann smith\\\"@example.com\"}", 400));
        rows.add(row("otp: email with a header break", "POST", otp,
                "{\"email\":\"ann@example.com\\r\\nBcc: eve@example.com\"}", 400));
        rows.add(row("otp: two addresses", "POST", otp, "{\"email\":\"ann@example.com,eve@example.com\"}", 400));
        rows.add(row("otp: email with a leading space", "POST", otp, "{\"email\":\" ann@example.com\"}", 400));
        rows.add(row("otp: email a number", "POST", otp, "{\"email\":12345}", 400));
        rows.add(row("otp: email an array", "POST", otp, "{\"email\":[\"ann@example.com\"]}", 400));
        rows.add(row("otp: email 20k chars", "POST", otp, "{\"email\":\"" + LONG + "@example.com\"}", 400));
        rows.add(row("otp: local part of 65 chars", "POST", otp, "{\"email\":\"" + "a".repeat(65) + "@example.com\"}",
                400));
        rows.add(row("otp: GET not allowed", "GET", otp, null, 405, "method_not_allowed"));
        bodyShape(rows, "otp", "POST", otp, false);

        String verify = "/api/v1/auth/otp/verify";
        rows.add(row("verify: missing code", "POST", verify, "{\"email\":\"ann@example.com\"}", 400));
        rows.add(row("verify: missing email", "POST", verify, "{\"code\":\"123456\"}", 400));
        rows.add(row("verify: email not an email", "POST", verify, "{\"email\":\"ann\",\"code\":\"123456\"}", 400));
        rows.add(row("verify: code of five digits", "POST", verify,
                "{\"email\":\"ann@example.com\",\"code\":\"12345\"}", 400));
        rows.add(row("verify: code of seven digits", "POST", verify,
                "{\"email\":\"ann@example.com\",\"code\":\"1234567\"}", 400));
        rows.add(row("verify: code with letters", "POST", verify,
                "{\"email\":\"ann@example.com\",\"code\":\"12a456\"}", 400));
        rows.add(row("verify: code with spaces", "POST", verify,
                "{\"email\":\"ann@example.com\",\"code\":\"123 456\"}", 400));
        rows.add(row("verify: code in other digits", "POST", verify,
                "{\"email\":\"ann@example.com\",\"code\":\"\u0661\u0662\u0663\u0664\u0665\u0666\"}", 400));
        rows.add(row("verify: code a number", "POST", verify, "{\"email\":\"ann@example.com\",\"code\":123456}", 400));
        rows.add(row("verify: code 20k chars", "POST", verify,
                "{\"email\":\"ann@example.com\",\"code\":\"" + LONG + "\"}", 400));
        rows.add(row("verify: no code was sent to the address", "POST", verify,
                "{\"email\":\"nobody-asked@example.com\",\"code\":\"123456\"}", 401, "otp_invalid"));
        rows.add(row("verify: GET not allowed", "GET", verify, null, 405, "method_not_allowed"));
        bodyShape(rows, "verify", "POST", verify, false);

        String session = "/api/v1/auth/session";
        rows.add(row("logout: no Authorization", "DELETE", session, null, 401));
        rows.add(row("logout: empty Authorization", "DELETE", session, null, 401, "unauthorized", "Authorization", ""));
        rows.add(row("logout: bearer that is no session token", "DELETE", session, null, 401, "unauthorized",
                "Authorization", "Bearer nope"));
        rows.add(row("logout: well-formed unknown token", "DELETE", session, null, 401, "unauthorized",
                "Authorization", "Bearer " + "C".repeat(43)));
        rows.add(row("logout: the admin token", "DELETE", session, null, 401, "unauthorized", "Authorization", ADMIN));
        rows.add(row("logout: token 3000 chars", "DELETE", session, null, 401, "unauthorized",
                "Authorization", "Bearer " + "t".repeat(3000)));
        rows.add(row("logout: GET not allowed", "GET", session, null, 405, "method_not_allowed"));
    }

    private static void adminOutbox(List<Arguments> rows) {
        String path = "/api/v1/admin/outbox";
        rows.add(admin("outbox: to not an email", "GET", path + "?to=ann", null, 400));
        rows.add(admin("outbox: after negative", "GET", path + "?after=-1", null, 400));
        rows.add(admin("outbox: after a word", "GET", path + "?after=last", null, 400));
        rows.add(admin("outbox: limit zero", "GET", path + "?limit=0", null, 400));
        rows.add(admin("outbox: limit too large", "GET", path + "?limit=501", null, 400));
        rows.add(admin("outbox: DELETE not allowed", "DELETE", path, null, 405, "method_not_allowed"));
    }

    private static void adminCache(List<Arguments> rows) {
        rows.add(admin("cache clear: missing pattern", "DELETE", "/api/v1/admin/cache", null, 400));
        rows.add(admin("cache clear: blank pattern", "DELETE", "/api/v1/admin/cache?pattern=%20", null, 400));
        rows.add(admin("cache clear: pattern with a newline", "DELETE", "/api/v1/admin/cache?pattern=a%0Ab", null, 400));
        rows.add(admin("cache clear: pattern 100k chars", "DELETE", "/api/v1/admin/cache?pattern=" + HUGE, null, 400));
        rows.add(admin("cache debug: missing key", "GET", "/api/v1/admin/cache/debug/key", null, 400));
        rows.add(admin("cache debug: key with a space", "GET", "/api/v1/admin/cache/debug/key?key=a%20b", null, 400));
        rows.add(admin("cache debug: unknown key", "GET", "/api/v1/admin/cache/debug/key?key=no-such-key", null, 404));
        rows.add(admin("cache stats: POST not allowed", "POST", "/api/v1/admin/cache/stats", "{}", 405,
                "method_not_allowed"));
        rows.add(admin("dashboard: locationId a word", "GET", "/api/v1/admin/dashboard/today?locationId=x", null, 400));
        rows.add(admin("live holds: limit 0", "GET", "/api/v1/admin/holds?limit=0", null, 400));
        rows.add(admin("live holds: limit 100k digits", "GET", "/api/v1/admin/holds?limit=" + "9".repeat(5_000), null,
                400));
        rows.add(admin("live holds: date not a date", "GET", "/api/v1/admin/holds?date=2026-13-01", null, 400));
        rows.add(admin("live holds: cursor not base64", "GET", "/api/v1/admin/holds?cursor=%25%25", null, 400));
        rows.add(admin("live holds: cursor 100k chars", "GET", "/api/v1/admin/holds?cursor=" + HUGE, null, 400));
        rows.add(admin("live holds: unknown staff", "GET", "/api/v1/admin/holds?staffId=" + UNKNOWN, null, 404));
        rows.add(admin("release hold: holdId not a UUID", "DELETE", "/api/v1/admin/holds/not-a-uuid", null, 400));
        rows.add(admin("release hold: holdId a UUID with a bad digit", "DELETE",
                "/api/v1/admin/holds/7d444840-9dc0-11d1-b245-5ffdce74fazz", null, 400));
        rows.add(admin("release hold: holdId 2000 chars", "DELETE", "/api/v1/admin/holds/" + "a".repeat(2000), null, 400));
        rows.add(admin("release hold: unknown holdId", "DELETE", "/api/v1/admin/holds/" + UNKNOWN_UUID, null, 404));
        rows.add(admin("release hold: the booking's id as holdId", "DELETE", "/api/v1/admin/holds/{booking}", null,
                404));
        rows.add(admin("redis status: POST not allowed", "POST", "/api/v1/admin/redis-status", "{}", 405,
                "method_not_allowed"));
        rows.add(admin("dashboard: staffId zero", "GET", "/api/v1/admin/dashboard/today?staffId=0", null, 400));
        rows.add(admin("dashboard: unknown location", "GET", "/api/v1/admin/dashboard/today?locationId=" + UNKNOWN,
                null, 404));
        rows.add(admin("dashboard: staff of another location", "GET",
                "/api/v1/admin/dashboard/today?locationId=" + UNKNOWN + "&staffId={staff}", null, 404));
    }

    /** The body shapes every JSON endpoint must refuse: not JSON, not the right JSON, not JSON at all. */
    private static void bodyShape(List<Arguments> rows, String what, String method, String path, boolean asAdmin,
            String... headers) {
        List<String> h = new ArrayList<>(Arrays.asList(headers));
        if (asAdmin) {
            h.add("Authorization");
            h.add(ADMIN);
        }
        rows.add(row(what + ": malformed JSON", method, path, "{\"name\": ", 400, "validation_failed", h));
        rows.add(row(what + ": not JSON at all", method, path, "name=X&timeZone=UTC", 400, "validation_failed", h));
        rows.add(row(what + ": empty body", method, path, "", 400, "validation_failed", h));
        rows.add(row(what + ": JSON null", method, path, "null", 400, "validation_failed", h));
        rows.add(row(what + ": JSON string", method, path, "\"hello\"", 400, "validation_failed", h));
        rows.add(row(what + ": trailing garbage", method, path, "{} {}", 400, "validation_failed", h));
        rows.add(row(what + ": deeply nested", method, path, "[".repeat(5000) + "]".repeat(5000), 400,
                "validation_failed", h));
        rows.add(row(what + ": body over 64 KiB", method, path, "{\"name\":\"" + "y".repeat(70_000) + "\"}", 413,
                "payload_too_large", h));
        List<String> text = new ArrayList<>(h);
        text.addAll(List.of("Content-Type", "text/plain"));
        rows.add(row(what + ": text/plain", method, path, "{}", 415, "unsupported_media_type", text));
        List<String> xml = new ArrayList<>(h);
        xml.addAll(List.of("Content-Type", "application/xml"));
        rows.add(row(what + ": application/xml", method, path, "<a/>", 415, "unsupported_media_type", xml));
        List<String> none = new ArrayList<>(h);
        none.addAll(List.of("Content-Type", OMIT));
        rows.add(row(what + ": no Content-Type", method, path, "{}", 415, "unsupported_media_type", none));
        List<String> form = new ArrayList<>(h);
        form.addAll(List.of("Content-Type", "application/x-www-form-urlencoded"));
        rows.add(row(what + ": form encoded", method, path, "name=X", 415, "unsupported_media_type", form));
    }

    // ------------------------------------------------------------------------------------------ row builders

    private static Arguments row(String name, String method, String path, String body, int status) {
        return row(name, method, path, body, status, codeFor(status), List.of());
    }

    private static Arguments row(String name, String method, String path, String body, int status, String code,
            String... headers) {
        return row(name, method, path, body, status, code, Arrays.asList(headers));
    }

    private static Arguments row(String name, String method, String path, String body, int status, String code,
            List<String> headers) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            map.put(headers.get(i), headers.get(i + 1));
        }
        return Arguments.argumentSet(name, new Row(name, method, path, body, map, status, code));
    }

    private static Arguments admin(String name, String method, String path, String body, int status) {
        return row(name, method, path, body, status, codeFor(status), "Authorization", ADMIN);
    }

    private static Arguments admin(String name, String method, String path, String body, int status, String code) {
        return row(name, method, path, body, status, code, "Authorization", ADMIN);
    }

    private static Arguments book(String name, String body, int status) {
        return book(name, body, status, codeFor(status));
    }

    private static Arguments book(String name, String body, int status, String code) {
        return row(name, "POST", "/api/v1/bookings", body, status, code, "Idempotency-Key", "{freshKey}",
                "Authorization", "Bearer {session}");
    }

    private static Arguments manage(String name, String path, String body, int status, String code) {
        return row(name, "POST", path, body, status, code, "Manage-Token", "{manage}");
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "validation_failed";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            default -> throw new IllegalArgumentException("name the code for " + status);
        };
    }

    // ------------------------------------------------------------------------------------------ sending

    private HttpResponse<String> send(Row row) {
        String body = row.body() == null ? null : fill(row.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + fill(row.path())))
                .timeout(Duration.ofSeconds(60))
                .method(row.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        Map<String, String> headers = new LinkedHashMap<>();
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        row.headers().forEach((name, value) -> headers.put(name, fill(value)));
        headers.forEach((name, value) -> {
            if (!OMIT.equals(value)) {
                request.setHeader(name, value);
            }
        });
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(row.method() + " " + abbreviate(row.path()) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String fill(String text) {
        if (OMIT.equals(text) || !text.contains("{")) {
            return text;
        }
        String filled = text.replace("{client}", Fixtures.clientId())
                .replace("{freshKey}", "key-" + UUID.randomUUID());
        for (Map.Entry<String, String> entry : world.entrySet()) {
            filled = filled.replace("{" + entry.getKey() + "}", entry.getValue());
        }
        return filled;
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...(" + text.length() + " chars)";
    }
}
