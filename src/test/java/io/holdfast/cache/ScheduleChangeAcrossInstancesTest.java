package io.holdfast.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.SseClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Schedule changes across two servers sharing Redis and the database: time off with {@code cancelAffected} made on
 * one instance is reflected by the other's availability at once (its cached day was dropped before the 201), and a
 * viewer of the day streaming from the other instance gets the {@code cancelled} and {@code schedule} events; and a
 * hold on the other instance, which checks a dropped day's start against the schedule it cached alone, sees the time
 * off at once too.
 */
class ScheduleChangeAcrossInstancesTest {

    private static TwoInstances servers;

    @BeforeAll
    static void start() {
        servers = new TwoInstances();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @Test
    void timeOffOnOneInstanceShowsOnTheOtherAtOnce() throws Exception {
        var a = servers.a;
        var b = servers.b;
        var salon = a.fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        Api.Response hold = a.fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "10:00"));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        JsonNode booking = a.fixtures.book(hold.json(), "two-instances@example.com").json().get("bookings").get(0);
        // B caches the day (twice read: the second from its local level).
        assertThat(b.fixtures.times(salon, day)).contains("11:00");
        assertThat(b.fixtures.times(salon, day)).contains("11:00");

        try (SseClient stream = SseClient.open(b.api.base() + "/api/v1/live/stream?staffId=" + salon.staffId()
                + "&date=" + day)) {
            assertThat(stream.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            Api.Response off = a.api.admin("POST", "/api/v1/admin/staff/" + salon.staffId() + "/time-off",
                    Map.of("start", salon.start(day, "09:00"), "end", salon.start(day, "12:00"),
                            "cancelAffected", true));
            assertThat(off.status()).as(off.toString()).isEqualTo(201);

            assertThat(b.fixtures.times(salon, day)).as("on B at once").doesNotContain("09:00", "10:00", "11:30")
                    .contains("12:00");
            List<String> types = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                SseClient.Event event = stream.next("slot", Duration.ofSeconds(10));
                assertThat(event).as("events on B so far: " + types).isNotNull();
                types.add(event.json().get("type").asString());
            }
            assertThat(types).containsExactlyInAnyOrder("cancelled", "schedule");
        }
        assertThat(b.api.get("/api/v1/bookings/" + booking.get("id").asString(), "Manage-Token",
                booking.get("manageToken").asString()).json().get("status").asString()).isEqualTo("cancelled");
    }

    @Test
    void timeOffOnOneInstanceRefusesAHoldOnTheOtherWhoseScheduleWasCached() {
        var a = servers.a;
        var b = servers.b;
        var salon = a.fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(5);
        a.fixtures.booked(salon, day, "09:00", "schedule-on-b@example.com");
        // The booking dropped the day everywhere: B's hold caches the day's schedule alone.
        Api.Response onB = b.fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "10:00"));
        assertThat(onB.status()).as(onB.toString()).isEqualTo(201);

        Api.Response off = a.api.admin("POST", "/api/v1/admin/staff/" + salon.staffId() + "/time-off",
                Map.of("start", salon.start(day, "13:00"), "end", salon.start(day, "15:00")));
        assertThat(off.status()).as(off.toString()).isEqualTo(201);

        Api.Response inTimeOff = b.fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "14:00"));
        assertThat(inTimeOff.status()).as("on B at once: " + inTimeOff).isEqualTo(409);
        assertThat(inTimeOff.json().get("code").asString()).isEqualTo("slot_unavailable");
    }
}
