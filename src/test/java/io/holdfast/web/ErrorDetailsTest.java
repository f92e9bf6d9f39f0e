package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Errors a client can act on (API.md): every refusal names the header, parameter or field that was wrong and says
 * what was expected, echoing the value; {@code slot_unavailable} names the rule, with the time in the location's
 * offset; and every problem body has the same fields, whoever wrote it. {@link BadInputTest} proves the status and
 * code of bad input everywhere; this proves the words, one row per kind of mistake on each endpoint that takes it.
 *
 * <p>Placeholders such as {@code {staff}} in paths, bodies and header values are filled from a small world built
 * once; {@code {at:HH:mm}} is that time on the world's day, as the location's clock reads it.
 */
@ActiveProfiles("h2")
class ErrorDetailsTest extends ServerTest {

    private static final String ADMIN = "Bearer " + ADMIN_TOKEN;
    private static final String INSTANT = "expected an ISO-8601 instant with offset, like 2026-11-23T09:00:00+01:00";
    private static final String HOLD_BODY = "{\"clientId\":\"{client}\",\"staffId\":{staff},\"serviceId\":{service},"
            + "\"start\":\"%s\"}";

    private static volatile Map<String, String> world;

    record Row(String name, String method, String path, String body, Map<String, String> headers, int status,
            String code, String detail) {
    }

    @BeforeEach
    void buildWorld() {
        if (world != null) {
            return;
        }
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(4);
        Map<String, String> w = new LinkedHashMap<>(Map.of("staff", String.valueOf(salon.staffId()),
                "service", String.valueOf(salon.serviceId()), "day", day.toString()));
        w.put("pastDay", day.minusDays(30).toString());
        w.put("farDay", day.plusDays(200).toString());
        for (String time : List.of("07:00", "10:10", "12:00", "14:00")) {
            w.put("at:" + time, salon.start(day, time));
        }
        w.put("past", salon.start(day.minusDays(30), "10:00"));
        w.put("farAhead", salon.start(day.plusDays(200), "10:00"));
        Api.Response off = api.admin("POST", "/api/v1/admin/staff/" + salon.staffId() + "/time-off",
                Map.of("start", salon.start(day, "12:00"), "end", salon.start(day, "13:00"), "reason", "dentist"));
        assertThat(off.status()).as(off.toString()).isEqualTo(201);
        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), w.get("at:14:00"));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        w.put("hold", hold.json().get("holdId").asString());
        w.put("session", fixtures.session("ann@example.com"));
        world = w;
    }

    @ParameterizedTest
    @MethodSource("rows")
    void saysWhatToChange(Row row) {
        Api.Response response = send(row);
        String described = "[" + row.name() + "] " + row.method() + " " + row.path() + " -> " + response.status()
                + " " + response.body();
        assertThat(response.status()).as(described).isEqualTo(row.status());
        assertThat(response.contentType()).as(described)
                .startsWith("application/problem+json");
        JsonNode problem = Api.JSON.readTree(response.body());
        assertThat(problem.path("code").asString()).as(described).isEqualTo(row.code());
        assertThat(problem.path("detail").asString()).as(described).contains(fill(row.detail()));
        assertEveryField(problem, fill(row.path()).replaceAll("\\?.*", ""), described);
    }

    /**
     * The problem bodies that are written outside Spring MVC's error handling: the 413 answered from Content-Length
     * by a filter, a refused booking kept as text for idempotent replays, Tomcat's own refusals.
     */
    @Test
    void problemsWrittenElsewhereHaveTheSameFields() {
        Api.Response tooLarge = send(new Row("413", "POST", "/api/v1/auth/otp",
                "{\"email\":\"" + "y".repeat(70_000) + "@example.com\"}", Map.of(), 413, "", ""));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertEveryField(Api.JSON.readTree(tooLarge.body()), "/api/v1/auth/otp", tooLarge.body());

        Map<String, String> headers = Map.of("Idempotency-Key", "key-" + UUID.randomUUID(),
                "Authorization", "Bearer {session}");
        String body = "{\"holdId\":\"{hold}\",\"holdToken\":\"not-the-token\",\"customer\":{\"name\":\"Ann\","
                + "\"email\":\"ann@example.com\"}}";
        Api.Response wrongToken = send(new Row("hold token", "POST", "/api/v1/bookings", body, headers, 0,
                "", ""));
        Api.Response replayed = send(new Row("replay", "POST", "/api/v1/bookings", body, headers, 0, "", ""));
        for (Api.Response refused : List.of(wrongToken, replayed)) {
            assertThat(refused.status()).as(refused.body()).isIn(403, 404);
            assertEveryField(Api.JSON.readTree(refused.body()), "/api/v1/bookings", refused.body());
        }
        assertThat(replayed.body()).isEqualTo(wrongToken.body());

        Api.Response tomcat = send(new Row("header too large", "GET", "/api/v1/locations", null,
                Map.of("X-Padding", "x".repeat(100_000)), 400, "", ""));
        assertThat(tomcat.status()).isEqualTo(400);
        assertEveryField(Api.JSON.readTree(tomcat.body()), "/api/v1/locations", tomcat.body());
    }

    private static void assertEveryField(JsonNode problem, String path, String described) {
        for (String field : List.of("type", "title", "status", "detail", "code", "instance")) {
            assertThat(problem.has(field)).as("%s in %s", field, described).isTrue();
        }
        assertThat(problem.path("type").asString()).as(described)
                .isEqualTo("urn:holdfast:problem:" + problem.path("code").asString());
        assertThat(problem.path("instance").asString()).as(described).isEqualTo(path);
    }

    @Test
    void aClosedDayIsAnEmptyDayWithItsReason() {
        for (String[] day : new String[][] {{"{pastDay}", "in_the_past"}, {"{farDay}", "beyond_booking_window"}}) {
            Api.Response answer = api.get(fill("/api/v1/availability?staffId={staff}&serviceId={service}&date=" + day[0]));
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.json().get("slots").isEmpty()).isTrue();
            assertThat(answer.json().path("reason").asString()).isEqualTo(day[1]);
        }
        Api.Response open = api.get(fill("/api/v1/availability?staffId={staff}&serviceId={service}&date={day}"));
        assertThat(open.json().get("slots").isEmpty()).isFalse();
        assertThat(open.json().has("reason")).as("an open day has no reason").isFalse();
    }

    // ------------------------------------------------------------------------------------------ the rows

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        String availability = "/api/v1/availability";
        rows.add(row("missing parameter", "GET", availability + "?staffId={staff}&date={day}", null, 400,
                "serviceId is required"));
        rows.add(row("date in another format", "GET", availability + "?staffId={staff}&serviceId={service}"
                + "&date=08.12.2026", null, 400, "date: expected YYYY-MM-DD, got '08.12.2026'"));
        rows.add(row("id not a number", "GET", availability + "?staffId=abc&serviceId={service}&date={day}", null,
                400, "staffId: expected a whole number, got 'abc'"));
        rows.add(row("constraint broken", "GET", availability + "?staffId=-1&serviceId={service}&date={day}", null,
                400, "staffId: must be greater than 0, got -1"));
        rows.add(row("since not a number", "GET", "/api/v1/live/poll?staffId={staff}&date={day}&since=later", null,
                400, "since: expected a whole number, got 'later'"));
        rows.add(row("stream date not a date", "GET", "/api/v1/live/stream?staffId={staff}&date=tomorrow", null,
                400, "date: expected YYYY-MM-DD, got 'tomorrow'"));
        rows.add(row("staff of an unknown location", "GET", "/api/v1/staff?locationId=987654321", null, 404,
                "Location 987654321 does not exist"));
        rows.add(row("selection date in a body", "PUT", "/api/v1/selections",
                "{\"staffId\":{staff},\"date\":\"01/12/2026\",\"time\":\"10:00\",\"clientId\":\"{client}\"}", 400,
                "date: expected YYYY-MM-DD, got '01/12/2026'"));
        rows.add(row("unselect without clientId", "DELETE", "/api/v1/selections?staffId={staff}&date={day}", null,
                400, "clientId is required"));

        String holds = "/api/v1/holds";
        rows.add(row("hold start without offset", "POST", holds, HOLD_BODY.formatted("2026-12-08T10:00"), 400,
                "start: " + INSTANT + ", got '2026-12-08T10:00'"));
        rows.add(row("hold staffId a word", "POST", holds,
                "{\"clientId\":\"{client}\",\"staffId\":\"x\",\"serviceId\":{service},\"start\":\"{at:10:10}\"}", 400,
                "staffId: expected a whole number, got 'x'"));
        rows.add(row("batch item field of the wrong type", "POST", holds, "{\"clientId\":\"{client}\",\"items\":"
                + "[{\"staffId\":{staff},\"serviceId\":true,\"start\":\"{at:10:10}\"}]}", 400,
                "items[0].serviceId: expected a whole number, got true"));
        rows.add(row("batch item start not an instant", "POST", holds, "{\"clientId\":\"{client}\",\"items\":"
                + "[{\"staffId\":{staff},\"serviceId\":{service},\"start\":\"soon\"}]}", 400,
                "items[0].start: " + INSTANT + ", got 'soon'"));
        rows.add(row("batch item staffId not positive", "POST", holds, "{\"clientId\":\"{client}\",\"items\":"
                + "[{\"staffId\":-1,\"serviceId\":{service},\"start\":\"{at:10:10}\"}]}", 400,
                "items[0].staffId: must be greater than 0, got -1"));
        rows.add(row("hold body missing clientId", "POST", holds,
                "{\"staffId\":{staff},\"serviceId\":{service},\"start\":\"{at:10:10}\"}", 400, "clientId is required"));
        rows.add(row("extend without Hold-Token", "PATCH", holds + "/{hold}", null, 400,
                "Hold-Token header is required"));
        rows.add(row("release without Hold-Token", "DELETE", holds + "/{hold}", null, 400,
                "Hold-Token header is required"));
        rows.add(row("hold id not a UUID", "PATCH", holds + "/abc", null, 400, "holdId: expected a UUID, got 'abc'",
                "Hold-Token", "x"));
        rows.add(refused("outside working hours", "POST", holds, HOLD_BODY.formatted("{at:07:00}"), 409,
                "slot_unavailable", "{at:07:00} is outside working hours"));
        rows.add(refused("off the slot grid", "POST", holds, HOLD_BODY.formatted("{at:10:10}"), 409, "slot_unavailable",
                "{at:10:10} is off the slot grid"));
        rows.add(refused("time off", "POST", holds, HOLD_BODY.formatted("{at:12:00}"), 409, "slot_unavailable",
                "{at:12:00} is during time off"));
        rows.add(refused("in the past", "POST", holds, HOLD_BODY.formatted("{past}"), 409, "slot_unavailable",
                "{past} is in the past"));
        rows.add(refused("beyond the booking window", "POST", holds, HOLD_BODY.formatted("{farAhead}"), 409,
                "slot_unavailable", "{farAhead} is beyond the booking window"));
        rows.add(refused("time echoed in the location's offset, not UTC", "POST", holds,
                HOLD_BODY.formatted("{utc:07:00}"), 409, "slot_unavailable",
                "{at:07:00} is outside working hours"));

        String bookings = "/api/v1/bookings";
        String booking = "{\"holdId\":\"{hold}\",\"holdToken\":\"t\",\"customer\":{\"name\":\"Ann\","
                + "\"email\":\"ann@example.com\"}}";
        rows.add(row("booking without Idempotency-Key", "POST", bookings, booking, 400,
                "Idempotency-Key header is required", "Authorization", "Bearer {session}"));
        rows.add(row("booking body missing holdId", "POST", bookings, booking.replace("\"holdId\":\"{hold}\",", ""),
                400, "holdId is required", "Idempotency-Key", "{freshKey}", "Authorization", "Bearer {session}"));
        rows.add(row("booking nested field of the wrong type", "POST", bookings,
                booking.replace("\"Ann\"", "[\"Ann\"]"), 400, "customer.name: expected a string, got an array",
                "Idempotency-Key", "{freshKey}", "Authorization", "Bearer {session}"));
        rows.add(refused("booking session without the Bearer scheme", "POST", bookings, booking, 401, "unauthorized",
                "The Authorization header has no scheme", "Idempotency-Key", "{freshKey}", "Authorization",
                "{session}"));
        rows.add(row("booking id not a UUID", "GET", bookings + "/42", null, 400, "id: expected a UUID, got '42'"));

        rows.add(row("code a number", "POST", "/api/v1/auth/otp/verify",
                "{\"email\":\"ann@example.com\",\"code\":123456}", 400, "code: expected a string of 6 digits"));
        rows.add(row("code of five digits", "POST", "/api/v1/auth/otp/verify",
                "{\"email\":\"ann@example.com\",\"code\":\"12345\"}", 400,
                "code: expected a string of 6 digits, got '12345'"));
        rows.add(row("otp body missing email", "POST", "/api/v1/auth/otp", "{}", 400, "email is required"));
        rows.add(refused("logout token without the Bearer scheme", "DELETE", "/api/v1/auth/session", null, 401,
                "unauthorized", "The Authorization header has no scheme", "Authorization", "{session}"));

        String hours = "/api/v1/admin/staff/{staff}/working-hours";
        rows.add(admin("day of week in lower case", "PUT", hours,
                "[{\"dayOfWeek\":\"monday\",\"start\":\"09:00\",\"end\":\"17:00\"}]", 400,
                "dayOfWeek: expected one of MONDAY…SUNDAY, got 'monday'"));
        rows.add(admin("local time without its leading zero", "PUT", hours,
                "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"9:00\",\"end\":\"17:00\"}]", 400,
                "start: expected HH:mm, got '9:00'"));
        rows.add(admin("staff id in the path not a number", "PUT", "/api/v1/admin/staff/abc/working-hours", "[]",
                400, "id: expected a whole number, got 'abc'"));
        rows.add(admin("working hours object without windows", "PUT", hours, "{}", 400, "windows is required"));
        rows.add(admin("working hours neither list nor object", "PUT", hours, "\"09:00\"", 400, "body: expected"));
        rows.add(admin("time off start not an instant", "POST", "/api/v1/admin/staff/{staff}/time-off",
                "{\"start\":\"tomorrow\",\"end\":\"{farAhead}\"}", 400, "start: " + INSTANT + ", got 'tomorrow'"));
        rows.add(admin("location interval fractional", "POST", "/api/v1/admin/locations",
                "{\"name\":\"X\",\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":30.5}", 400,
                "slotIntervalMinutes: expected a whole number, got 30.5"));
        rows.add(admin("location missing name", "POST", "/api/v1/admin/locations",
                "{\"timeZone\":\"Europe/Berlin\",\"slotIntervalMinutes\":30}", 400, "name is required"));
        rows.add(admin("admin bookings without date", "GET", "/api/v1/admin/bookings", null, 400,
                "date is required"));
        rows.add(refused("admin token without the Bearer scheme", "GET", "/api/v1/admin/outbox", null, 403, "forbidden",
                "The Authorization header has no scheme", "Authorization", ADMIN_TOKEN));
        rows.add(refused("admin token under another scheme", "GET", "/api/v1/admin/outbox", null, 403, "forbidden",
                "The Authorization scheme must be Bearer, not 'Basic'", "Authorization", "Basic " + ADMIN_TOKEN));

        rows.add(row("malformed JSON", "POST", holds, "{\"clientId\": ", 400, "The request body is not valid JSON"));
        rows.add(row("two JSON values", "POST", holds, "{} {}", 400, "one JSON value with nothing after it"));
        rows.add(row("a string where an object belongs", "POST", holds, "\"hold\"", 400,
                "body: expected a JSON object, got a string"));
        rows.add(row("no body", "POST", holds, "", 400, "A JSON request body is required"));
        rows.add(refused("text/plain", "POST", holds, "{}", 415, "unsupported_media_type", "send application/json",
                "Content-Type", "text/plain"));
        rows.add(refused("method not allowed", "POST", "/api/v1/locations", "{}", 405, "method_not_allowed",
                "POST is not allowed on /api/v1/locations; allowed: GET"));
        rows.add(refused("unknown path", "GET", "/api/v1/nothing-here", null, 404, "not_found",
                "No endpoint GET /api/v1/nothing-here"));
        return rows.stream();
    }

    // ------------------------------------------------------------------------------------------ row builders

    /** A row whose code is the one its status always travels with (400 validation_failed, 404 not_found). */
    private static Arguments row(String name, String method, String path, String body, int status, String detail,
            String... headers) {
        return refused(name, method, path, body, status, status == 404 ? "not_found" : "validation_failed", detail,
                headers);
    }

    private static Arguments refused(String name, String method, String path, String body, int status, String code,
            String detail, String... headers) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return Arguments.argumentSet(name, new Row(name, method, path, body, map, status, code, detail));
    }

    private static Arguments admin(String name, String method, String path, String body, int status, String detail) {
        return row(name, method, path, body, status, detail, "Authorization", ADMIN);
    }

    // ------------------------------------------------------------------------------------------ sending

    private Api.Response send(Row row) {
        List<String> headers = new ArrayList<>();
        row.headers().forEach((name, value) -> headers.addAll(List.of(name, fill(value))));
        return api.send(row.method(), fill(row.path()), row.body() == null ? null : fill(row.body()),
                headers.toArray(String[]::new));
    }

    private static String fill(String text) {
        if (!text.contains("{")) {
            return text;
        }
        String filled = text.replace("{client}", Fixtures.clientId()).replace("{freshKey}", "key-" + UUID.randomUUID());
        for (Map.Entry<String, String> entry : world.entrySet()) {
            filled = filled.replace("{" + entry.getKey() + "}", entry.getValue());
        }
        if (filled.contains("{utc:07:00}")) {
            // The same instant as {at:07:00}, written in UTC: the answer must still read the location's clock.
            String local = world.get("at:07:00");
            filled = filled.replace("{utc:07:00}", java.time.OffsetDateTime.parse(local)
                    .withOffsetSameInstant(java.time.ZoneOffset.UTC).toString().replace("Z", "+00:00"));
        }
        return filled;
    }
}
