package io.holdfast.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Guest;
import io.holdfast.support.Invitation;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Issue #16: the .ics SEQUENCE of a booking grows strictly with every change, however close together; it was the
 * seconds since the booking was made, so two changes in one second shared a number and calendars dropped the second.
 */
@ActiveProfiles("h2")
class CalendarSequenceTest extends ServerTest {

    @Test
    void changesOfOneBookingInTheSameSecondCarryStrictlyIncreasingSequences() {
        clock.pin(Instant.now()); // every change below happens at the same instant
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        String email = "guest-" + UUID.randomUUID() + "@example.com";
        long before = Guest.newestMail(api, email);
        JsonNode booking = fixtures.book(hold(salon, day, "11:00"), email).json().get("bookings").get(0);
        String path = "/api/v1/bookings/" + booking.get("id").asString();
        String manageToken = booking.get("manageToken").asString();
        for (String time : List.of("14:00", "15:00")) {
            JsonNode later = hold(salon, day, time);
            Api.Response moved = api.post(path + "/reschedule", Map.of("holdId", later.get("holdId").asString(),
                    "holdToken", later.get("token").asString()), "Manage-Token", manageToken);
            assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        }
        assertThat(api.delete(path, "Manage-Token", manageToken).status()).isEqualTo(204);

        List<Invitation.Event> invitations = awaitInvitations(email, before, 4);
        assertThat(invitations).extracting(Invitation.Event::uid).containsOnly(booking.get("id").asString() + "@holdfast");
        assertThat(invitations).extracting(Invitation.Event::start).containsExactly(salon.at(day, "11:00").toInstant(),
                salon.at(day, "14:00").toInstant(), salon.at(day, "15:00").toInstant(), salon.at(day, "15:00").toInstant());
        List<Integer> sequences = invitations.stream().map(Invitation.Event::sequence).toList();
        assertThat(sequences).as("SEQUENCE of confirmation, two moves and the cancellation").isSorted()
                .doesNotHaveDuplicates();
    }

    private JsonNode hold(Fixtures.Salon salon, LocalDate day, String time) {
        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, time));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        return hold.json();
    }

    /** The calendar events of the booking mails to {@code email}, oldest first, once {@code count} have come. */
    private List<Invitation.Event> awaitInvitations(String email, long afterId, int count) {
        long deadline = System.currentTimeMillis() + 10_000;
        List<Invitation.Event> events = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            events.clear();
            for (JsonNode mail : Guest.outbox(api, email, afterId)) {
                for (JsonNode attachment : mail.get("attachments")) {
                    if (attachment.get("contentType").asString().startsWith("text/calendar")) {
                        events.addAll(Invitation.parse(attachment.get("content").asString()).events());
                    }
                }
            }
            if (events.size() >= count) {
                java.util.Collections.reverse(events); // the outbox lists the newest mail first
                return events;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("Only " + events.size() + " of " + count + " invitations to " + email + ": " + events);
    }
}
