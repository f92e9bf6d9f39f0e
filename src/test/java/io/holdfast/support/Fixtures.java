package io.holdfast.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.holdfast.web.WireTime;
import tools.jackson.databind.JsonNode;

/**
 * Builds an isolated catalogue per test through the admin API (every test gets its own location, services and
 * staff, so tests never see each other's bookings and need no clean-up).
 */
public final class Fixtures {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final AtomicInteger ADDRESSES = new AtomicInteger();
    private static final Map<String, CompletableFuture<String>> SESSIONS = new ConcurrentHashMap<>();

    private final Api api;

    public Fixtures(Api api) {
        this.api = api;
    }

    /** A salon with its catalogue: one staff member offering one service, working every day in the given hours. */
    public record Salon(long locationId, ZoneId zone, long serviceId, long staffId) {

        public ZonedDateTime at(LocalDate date, String hhmm) {
            return ZonedDateTime.of(date, LocalTime.parse(hhmm), zone);
        }

        public String start(LocalDate date, String hhmm) {
            return WireTime.format(at(date, hhmm));
        }
    }

    public Salon salon(String zone, int slotIntervalMinutes, int durationMinutes, int bufferBefore, int bufferAfter,
            String from, String to) {
        long location = location(zone, slotIntervalMinutes, 0, 60, 120);
        long service = service(durationMinutes, bufferBefore, bufferAfter);
        long staff = staff(location, List.of(service));
        everyDay(staff, from, to);
        return new Salon(location, ZoneId.of(zone), service, staff);
    }

    /** The default test salon: Berlin, 30-minute grid, 30-minute service without buffers, open 08:00-18:00 daily. */
    public Salon salon() {
        return salon("Europe/Berlin", 30, 30, 0, 0, "08:00", "18:00");
    }

    public long location(String zone, int slotIntervalMinutes, int minNotice, int windowDays, int cancelCutoff) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Salon " + SEQUENCE.incrementAndGet());
        body.put("timeZone", zone);
        body.put("slotIntervalMinutes", slotIntervalMinutes);
        body.put("minNoticeMinutes", minNotice);
        body.put("bookingWindowDays", windowDays);
        body.put("cancelCutoffMinutes", cancelCutoff);
        return created(api.admin("POST", "/api/v1/admin/locations", body)).get("id").asLong();
    }

    public long service(int durationMinutes, int bufferBefore, int bufferAfter) {
        return created(api.admin("POST", "/api/v1/admin/services", Map.of("name", "Service " + SEQUENCE.incrementAndGet(),
                "durationMinutes", durationMinutes, "bufferBeforeMinutes", bufferBefore,
                "bufferAfterMinutes", bufferAfter, "priceCents", 2500))).get("id").asLong();
    }

    public long staff(long locationId, List<Long> serviceIds) {
        return created(api.admin("POST", "/api/v1/admin/staff", Map.of("name", "Staff " + SEQUENCE.incrementAndGet(),
                "locationId", locationId, "serviceIds", serviceIds))).get("id").asLong();
    }

    public void everyDay(long staffId, String from, String to) {
        List<Map<String, String>> windows = new ArrayList<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            windows.add(Map.of("dayOfWeek", day.name(), "start", from, "end", to));
        }
        Api.Response response = api.admin("PUT", "/api/v1/admin/staff/" + staffId + "/working-hours", windows);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    /** The start times ("HH:mm") the salon's day lists now, whatever their state. */
    public List<String> times(Salon salon, LocalDate day) {
        Api.Response answer = api.get("/api/v1/availability?staffId=" + salon.staffId() + "&serviceId="
                + salon.serviceId() + "&date=" + day + "&clientId=" + clientId());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        List<String> times = new ArrayList<>();
        answer.json().get("slots").forEach(slot -> times.add(slot.get("time").asString()));
        return times;
    }

    public static String clientId() {
        return "client-" + UUID.randomUUID();
    }

    /** Places a hold and returns the raw response. */
    public Api.Response hold(String clientId, long staffId, long serviceId, String start) {
        return api.post("/api/v1/holds", Map.of("clientId", clientId, "staffId", staffId, "serviceId", serviceId,
                "start", start));
    }

    /** Holds and books the salon's slot at {@code hhmm} on {@code day} for a new client; asserts both answered 201. */
    public JsonNode booked(Salon salon, LocalDate day, String hhmm, String email) {
        Api.Response held = hold(clientId(), salon.staffId(), salon.serviceId(), salon.start(day, hhmm));
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        Api.Response booking = book(held.json(), email);
        assertThat(booking.status()).as(booking.toString()).isEqualTo(201);
        return booking.json();
    }

    /** Books a hold with a fresh Idempotency-Key, as the verified owner of {@code email}; returns the raw response. */
    public Api.Response book(JsonNode hold, String email) {
        return book(hold, email, UUID.randomUUID().toString());
    }

    public Api.Response book(JsonNode hold, String email, String idempotencyKey) {
        return api.post("/api/v1/bookings", Map.of("holdId", hold.get("holdId").asString(),
                "holdToken", hold.get("token").asString(),
                "customer", Map.of("name", "Customer", "email", email)), "Idempotency-Key", idempotencyKey,
                "Authorization", "Bearer " + session(email));
    }

    /**
     * A session token for {@code email}, got the way a guest gets one: a code is requested, read from the mail (the
     * admin outbox of a server without SMTP) and verified. One per server process and address, kept for the run (sessions
     * live 24 h), because an address may only be sent three codes per 10 minutes.
     */
    public String session(String email) {
        // Keyed by the server process as well as its address: a server started later can get a port of one that
        // has stopped (the test context cache closes servers as it goes), and that one's sessions mean nothing here.
        String key = api.base() + " " + api.get("/api/v1/health").json().get("instanceId").asString() + " "
                + email.toLowerCase(java.util.Locale.ROOT);
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> session = SESSIONS.putIfAbsent(key, mine);
        if (session != null) {
            return session.join();
        }
        try {
            mine.complete(Guest.verify(api, email, clientAddress()));
        } catch (RuntimeException | AssertionError failure) {
            SESSIONS.remove(key, mine);
            mine.completeExceptionally(failure);
            throw failure;
        }
        return mine.join();
    }

    /**
     * A client network address of its own (RFC 2544's benchmarking range, never routed), sent as X-Forwarded-For:
     * the test server trusts it from loopback, so each simulated guest has its own per-client limits.
     */
    public static String clientAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "198.18." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }

    private static JsonNode created(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }
}
