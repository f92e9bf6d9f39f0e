package io.holdfast.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * A hold on a day that a booking has just dropped from the availability cache checks its start against the day's
 * schedule, cached on its own, instead of loading the day again; the schedule's cache is dropped by what changes a
 * schedule (time off here), never by a booking, and the database still has the last word on booked time.
 */
@ActiveProfiles("h2")
@Import(SqlProbe.Installed.class)
class ScheduleCacheTest extends ServerTest {

    @Autowired
    SqlProbe sql;

    @Test
    void aHoldAfterABookingDoesNotLoadTheDayAndTheDatabaseStillRefusesBookedTime() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        fixtures.booked(salon, day, "10:00", "schedule-cache@example.com");

        sql.reset();
        Api.Response next = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "11:00"));

        assertThat(next.status()).as(next.toString()).isEqualTo(201);
        assertThat(sql.bookedReads()).as("only the check after the lease: the dropped day was not loaded")
                .isEqualTo(1);
        Api.Response onBooked = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "10:00"));
        assertThat(onBooked.status()).as(onBooked.toString()).isEqualTo(409);
        assertThat(onBooked.json().get("code").asString()).isEqualTo("slot_booked");
        Api.Response closed = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "19:00"));
        assertThat(closed.status()).as(closed.toString()).isEqualTo(409);
        assertThat(closed.json().get("code").asString()).isEqualTo("slot_unavailable");
        assertThat(CacheAcrossInstancesTest.states(api, salon, day)).as("the day, loaded again for a reader")
                .containsEntry("10:00", "booked").containsEntry("12:00", "free");
    }

    @Test
    void timeOffDropsTheCachedScheduleAHoldWouldUse() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(4);
        fixtures.booked(salon, day, "09:00", "time-off@example.com");
        // The day is dropped by the booking: this hold caches the schedule alone.
        Api.Response cachesTheSchedule = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "10:00"));
        assertThat(cachesTheSchedule.status()).as(cachesTheSchedule.toString()).isEqualTo(201);

        Api.Response off = api.admin("POST", "/api/v1/admin/staff/" + salon.staffId() + "/time-off",
                Map.of("start", salon.start(day, "13:00"), "end", salon.start(day, "15:00")));
        assertThat(off.status()).as(off.toString()).isEqualTo(201);

        Api.Response inTimeOff = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "13:30"));
        assertThat(inTimeOff.status()).as(inTimeOff.toString()).isEqualTo(409);
        assertThat(inTimeOff.json().get("code").asString()).isEqualTo("slot_unavailable");
        Api.Response afterIt = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "15:00"));
        assertThat(afterIt.status()).as(afterIt.toString()).isEqualTo(201);
    }
}
