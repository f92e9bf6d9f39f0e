package io.holdfast.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Invitation;
import io.holdfast.support.ServerTest;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * The staff calendar feed over real HTTP, read by ical4j (not by the code that wrote it) and held to RFC 5545's
 * framing rules by hand (CRLF after every line, no line longer than 75 octets): exactly the staff member's confirmed
 * bookings, updated by a reschedule (same UID, higher SEQUENCE), without a cancelled one; a wrong or replaced secret
 * answers 404.
 */
abstract class CalendarFeedTest extends ServerTest {

    @Test
    void theFeedListsExactlyTheConfirmedBookingsAndFollowsTheirChanges() throws Exception {
        var salon = fixtures.salon();
        var other = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        String kept = id(book(salon, salon.start(day, "09:00"), "Ann; \"the, first\" \\ Müller-Lüdenscheidt " + "x".repeat(60)));
        JsonNode moving = book(salon, salon.start(day, "10:00"), "Bea");
        JsonNode cancelled = book(salon, salon.start(day, "11:00"), "Cem");
        book(other, other.start(day, "09:00"), "Someone else's guest");
        String url = createFeed(salon.staffId());

        Api.Response first = fetch(url);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.contentType()).startsWith("text/calendar");
        assertFramedByRfc5545(first.body());
        Calendar calendar = new CalendarBuilder().build(new StringReader(first.body()));
        assertThat(calendar.getProperty("X-WR-CALNAME").map(Property::getValue).orElseThrow()).contains("Staff");
        assertThat(calendar.getProperty("REFRESH-INTERVAL").map(Property::getValue).orElseThrow()).isEqualTo("PT15M");
        Invitation feed = Invitation.parse(first.body());
        assertThat(feed.validationProblems()).isEmpty();
        assertThat(feed.events()).extracting(Invitation.Event::uid)
                .containsExactly(kept, id(moving), id(cancelled));
        assertThat(feed.events().get(0).summary()).contains("Ann; \"the, first\" \\ Müller-Lüdenscheidt");
        assertThat(feed.events().get(1).start()).isEqualTo(salon.at(day, "10:00").toInstant());
        int sequenceBefore = feed.events().get(1).sequence();

        JsonNode hold = hold(salon, salon.start(day, "15:00"));
        Api.Response moved = api.post("/api/v1/bookings/" + id(moving) + "/reschedule",
                Map.of("holdId", hold.get("holdId").asString(), "holdToken", hold.get("token").asString()),
                "Manage-Token", moving.get("manageToken").asString());
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(api.delete("/api/v1/bookings/" + id(cancelled), "Manage-Token",
                cancelled.get("manageToken").asString()).status()).isEqualTo(204);

        Invitation after = Invitation.parse(fetch(url).body());
        assertThat(after.events()).extracting(Invitation.Event::uid).containsExactly(kept, id(moving));
        Invitation.Event movedEvent = after.events().get(1);
        assertThat(movedEvent.start()).isEqualTo(salon.at(day, "15:00").toInstant());
        assertThat(movedEvent.sequence()).isGreaterThan(sequenceBefore);
    }

    @Test
    void aWrongOrReplacedSecretAnswers404AndTheNewOneWorks() {
        var salon = fixtures.salon();
        String old = createFeed(salon.staffId());
        assertThat(fetch(old).status()).isEqualTo(200);

        String replaced = createFeed(salon.staffId());

        assertThat(replaced).isNotEqualTo(old);
        Api.Response stale = fetch(old);
        assertThat(stale.status()).isEqualTo(404);
        assertThat(stale.code()).isEqualTo("not_found");
        assertThat(fetch(replaced).status()).isEqualTo(200);
        String path = URI.create(replaced).getPath();
        String wrong = path.substring(0, path.lastIndexOf('/') + 1) + "A".repeat(43) + ".ics";
        assertThat(api.get(wrong).status()).isEqualTo(404);
        String otherStaff = path.replace("/" + salon.staffId() + "/", "/" + (salon.staffId() + 100_000) + "/");
        assertThat(api.get(otherStaff).status()).isEqualTo(404);
    }

    @Test
    void aFeedOfAnUnknownStaffMemberIsRefused() {
        Api.Response refused = api.admin("POST", "/api/v1/admin/staff/987654321/calendar-feed", null);

        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.code()).isEqualTo("not_found");
    }

    /** RFC 5545 3.1: every content line ends with CRLF, and none is longer than 75 octets before its line break. */
    private static void assertFramedByRfc5545(String ics) {
        assertThat(ics).endsWith("\r\n");
        assertThat(ics.replace("\r\n", "")).as("no bare CR or LF").doesNotContain("\r").doesNotContain("\n");
        boolean folded = false;
        for (String line : ics.split("\r\n")) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).as(line).isLessThanOrEqualTo(75);
            folded |= line.startsWith(" ");
        }
        assertThat(folded).as("the long name was folded onto a continuation line").isTrue();
    }

    private String createFeed(long staffId) {
        Api.Response created = api.admin("POST", "/api/v1/admin/staff/" + staffId + "/calendar-feed", null);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String url = created.json().get("url").asString();
        assertThat(url).matches("http://localhost:\\d+/api/v1/calendar-feeds/" + staffId + "/[A-Za-z0-9_-]{43}\\.ics");
        return url;
    }

    /** The feed as a calendar program fetches it: a plain GET of the URL, no credentials. */
    private Api.Response fetch(String url) {
        return api.get(URI.create(url).getPath());
    }

    private JsonNode book(Fixtures.Salon salon, String start, String name) {
        String email = "feed-" + UUID.randomUUID() + "@example.com";
        JsonNode hold = hold(salon, start);
        Api.Response booked = api.post("/api/v1/bookings", Map.of("holdId", hold.get("holdId").asString(),
                "holdToken", hold.get("token").asString(), "customer", Map.of("name", name, "email", email)),
                "Idempotency-Key", UUID.randomUUID().toString(), "Authorization", "Bearer " + fixtures.session(email));
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        return booked.json().get("bookings").get(0);
    }

    private JsonNode hold(Fixtures.Salon salon, String start) {
        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), start);
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        return hold.json();
    }

    private static String id(JsonNode booking) {
        return booking.get("id").asString();
    }
}

@ActiveProfiles("h2")
class CalendarFeedOnH2Test extends CalendarFeedTest {
}

@ActiveProfiles("postgresql")
class CalendarFeedOnPostgresTest extends CalendarFeedTest {
}

@ActiveProfiles("mariadb")
class CalendarFeedOnMariaDbTest extends CalendarFeedTest {
}
