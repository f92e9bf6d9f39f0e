package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Today's dashboard: bookings, revenue and utilisation per staff member; cached, and a booking or a cancellation
 * shows in it at once.
 */
@ActiveProfiles("h2")
class TodayDashboardTest extends ServerTest {

    @Test
    void showsTodaysBookingsRevenueAndUtilisationAndFollowsBookingsAndCancellations() {
        var salon = fixtures.salon();
        LocalDate today = LocalDate.now(salon.zone());
        clock.pin(salon.at(today, "06:00").toInstant());
        String path = "/api/v1/admin/dashboard/today?locationId=" + salon.locationId();
        JsonNode empty = dashboard(path);
        assertThat(empty.get("bookings").asInt()).isZero();
        JsonNode line = empty.get("staff").get(0);
        assertThat(line.get("staffId").asLong()).isEqualTo(salon.staffId());
        assertThat(line.get("date").asString()).isEqualTo(today.toString());
        assertThat(line.get("workingMinutes").asLong()).isEqualTo(600);
        assertThat(line.get("utilisation").asDouble()).isZero();
        long hits = dashboardLocalHits();
        assertThat(dashboard(path)).as("the cached answer").isEqualTo(empty);
        assertThat(dashboardLocalHits()).as("served from the cache").isEqualTo(hits + 1);

        JsonNode first = book(salon, today, "10:00");
        book(salon, today, "11:00");
        book(salon, today.plusDays(1), "10:00");

        JsonNode booked = dashboard(path);
        assertThat(booked.get("bookings").asInt()).isEqualTo(2);
        assertThat(booked.get("revenueCents").asLong()).isEqualTo(5000);
        assertThat(booked.get("staff").get(0).get("bookedMinutes").asLong()).isEqualTo(60);
        assertThat(booked.get("staff").get(0).get("utilisation").asDouble()).isEqualTo(0.1);

        Api.Response cancelled = api.admin("DELETE", "/api/v1/bookings/" + first.get("id").asString(), null);
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(204);

        JsonNode after = dashboard(path);
        assertThat(after.get("bookings").asInt()).isEqualTo(1);
        assertThat(after.get("cancelled").asInt()).isEqualTo(1);
        assertThat(after.get("revenueCents").asLong()).isEqualTo(2500);
        assertThat(dashboard("/api/v1/admin/dashboard/today?staffId=" + salon.staffId()).get("staff")).hasSize(1);
    }

    @Test
    void unknownLocationOrStaffIs404AndBadIdsAre400() {
        assertThat(api.admin("GET", "/api/v1/admin/dashboard/today?locationId=987654321", null).code())
                .isEqualTo("not_found");
        assertThat(api.admin("GET", "/api/v1/admin/dashboard/today?staffId=987654321", null).code())
                .isEqualTo("not_found");
        Api.Response bad = api.admin("GET", "/api/v1/admin/dashboard/today?locationId=-1", null);
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(api.admin("GET", "/api/v1/admin/dashboard/today?staffId=abc", null).status()).isEqualTo(400);
    }

    private long dashboardLocalHits() {
        for (JsonNode cache : dashboard("/api/v1/admin/cache/stats").get("caches")) {
            if (cache.get("name").asString().equals("dashboard")) {
                return cache.get("local").get("hits").asLong();
            }
        }
        throw new AssertionError("no dashboard cache");
    }

    private JsonNode book(Fixtures.Salon salon, LocalDate day, String time) {
        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, time));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        Api.Response booking = fixtures.book(hold.json(), "dash@example.com");
        assertThat(booking.status()).as(booking.toString()).isEqualTo(201);
        return booking.json().get("bookings").get(0);
    }

    private JsonNode dashboard(String path) {
        Api.Response response = api.admin("GET", path, null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }
}
