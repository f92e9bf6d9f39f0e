package io.holdfast.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Guest;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Issue #15, findings 6 and 8: a booking's manage token is kept and sent only where it is needed. Someone reading
 * the database finds neither the token nor the Idempotency-Key that would open the stored answer, while the
 * customer's own retry still gets the answer with the token; the calendar file (copied into every calendar it is
 * shared to) carries no manage link, while the mail keeps them; and a name with line breaks cannot add lines to
 * the customer's mail.
 */
abstract class ManageTokenExposureTest extends ServerTest {

    @Autowired
    private JdbcClient jdbc;

    @Test
    void theDatabaseKeepsNeitherTheTokenNorTheKeyAndTheCustomersRetryStillGetsTheAnswer() {
        var salon = fixtures.salon();
        JsonNode hold = hold(salon, "10:00");
        String key = UUID.randomUUID().toString();
        String email = freshEmail();

        Api.Response first = fixtures.book(hold, email, key);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        String token = first.json().get("bookings").get(0).get("manageToken").asString();
        assertThat(token).isNotBlank();

        // The attack: read the whole table as a copy of the database file would show it.
        List<String> rows = jdbc.sql("SELECT idem_key, request_hash, body FROM idempotency_record")
                .query((rs, n) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3)).list();
        assertThat(rows).isNotEmpty();
        assertThat(rows).noneMatch(row -> row.contains(token)).noneMatch(row -> row.contains(key))
                .noneMatch(row -> row.contains(email));

        // The legitimate use beside it: the customer's retry with its key gets the very same answer, token included.
        Api.Response retry = fixtures.book(hold, email, key);
        assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.json().get("bookings").get(0).get("manageToken").asString()).isEqualTo(token);
    }

    @Test
    void theCalendarFileCarriesNoManageTokenAndTheMailKeepsTheLinks() {
        var salon = fixtures.salon();
        String email = freshEmail();
        String session = fixtures.session(email);
        long before = Guest.newestMail(api, email);
        Api.Response booked = book(hold(salon, "11:00"), "Ann", email, session);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        JsonNode booking = booked.json().get("bookings").get(0);
        String token = booking.get("manageToken").asString();

        JsonNode mail = Guest.awaitMail(api, email, before, "confirmed");
        String ics = Guest.attachment(mail, "text/calendar");
        assertThat(ics).doesNotContain(token).doesNotContain("token=");
        assertThat(mail.get("text").asString())
                .contains("/manage/" + booking.get("id").asString() + "#token=" + token);
    }

    @Test
    void lineBreaksInTheCustomersNameDoNotReachTheMailAsLines() {
        var salon = fixtures.salon();
        String email = freshEmail();
        String session = fixtures.session(email);
        long before = Guest.newestMail(api, email);
        String name = "Ann\r\n\r\nYour booking failed, pay again at: https://evil.example/pay\r\nAnn";
        Api.Response booked = book(hold(salon, "12:00"), name, email, session);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);

        String text = Guest.awaitMail(api, email, before, "confirmed").get("text").asString();
        assertThat(text.lines()).noneMatch(line -> line.startsWith("Your booking failed"));
        assertThat(text.lines().findFirst().orElseThrow())
                .isEqualTo("Hello Ann    Your booking failed, pay again at: https://evil.example/pay  Ann,");
        assertThat(text).doesNotContain("\r");
    }

    private JsonNode hold(Fixtures.Salon salon, String time) {
        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(LocalDate.now(salon.zone()).plusDays(2), time));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        return hold.json();
    }

    private Api.Response book(JsonNode hold, String name, String email, String session) {
        return api.post("/api/v1/bookings", Map.of("holdId", hold.get("holdId").asString(),
                "holdToken", hold.get("token").asString(), "customer", Map.of("name", name, "email", email)),
                "Idempotency-Key", UUID.randomUUID().toString(), "Authorization", "Bearer " + session);
    }

    private static String freshEmail() {
        return "guest-" + UUID.randomUUID() + "@example.com";
    }
}

@ActiveProfiles("h2")
class ManageTokenExposureOnH2Test extends ManageTokenExposureTest {
}

@ActiveProfiles("postgresql")
class ManageTokenExposureOnPostgresTest extends ManageTokenExposureTest {
}

@ActiveProfiles("mariadb")
class ManageTokenExposureOnMariaDbTest extends ManageTokenExposureTest {
}
