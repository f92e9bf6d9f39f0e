package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import org.junit.jupiter.api.Test;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@link HoldAbuseContract} on a server without Redis (holds in SQL), and what needs the server's clock moved: the
 * maximum lifetime of a hold.
 */
@ActiveProfiles("h2")
@TestPropertySource(properties = "holdfast.hold.record-grace=2m")
class HoldAbuseOnSqlTest extends HoldAbuseContract {

    @Autowired
    SqlTemporaryStore sql;

    /**
     * Finding 5: the released marker lapsed {@code record-grace} after the release while the token stayed good until
     * creation + lease + grace, so with a short grace a booked (then cancelled) hold's token booked the time again.
     * Now the marker outlives the token: after the grace and a sweep, the old token books nothing and extends
     * nothing (404), and once the token's own life is over it stays dead.
     */
    @Test
    void aUsedHoldTokenCannotBookAgainAfterTheRecordGrace() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        clock.pin(Instant.now());
        Api.Response held = hold(Fixtures.clientId(), salon, salon.start(day, "10:00"), Fixtures.clientAddress());
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        String email = "replay-" + UUID.randomUUID() + "@example.com";
        Api.Response booked = fixtures.book(held.json(), email);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        JsonNode booking = booked.json().get("bookings").get(0);
        Api.Response cancelled = api.delete("/api/v1/bookings/" + booking.get("id").asString(), "Manage-Token",
                booking.get("manageToken").asString());
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(204);

        clock.advance(Duration.ofMinutes(3)); // past the 2-minute grace, well inside the token's lease + grace
        sql.sweep();

        Api.Response replay = fixtures.book(held.json(), email);
        assertThat(replay.status()).as("the used token books again: " + replay).isIn(404, 410);
        Api.Response extend = api.patch("/api/v1/holds/" + held.json().get("holdId").asString(), Map.of(),
                "Hold-Token", held.json().get("token").asString());
        assertThat(extend.status()).as(extend.toString()).isIn(404, 410);
        assertThat(heldBy(salon, day)).as("the replay took no lease").isEmpty();

        clock.advance(Duration.ofMinutes(40)); // past creation + max lifetime + grace: the token itself is dead
        sql.sweep();
        Api.Response late = fixtures.book(held.json(), email);
        assertThat(late.status()).as(late.toString()).isIn(404, 410);
    }

    /**
     * Finding 1: {@code PATCH} extended a hold without end. Now every extension moves the expiry a lease ahead but
     * never past creation + 30 min; after that the hold lapses and PATCH is 410, and the slot is free for others.
     */
    @Test
    void extendingNeverKeepsAHoldPastItsMaximumLifetime() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        Instant created = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        clock.pin(created);
        Api.Response held = hold(Fixtures.clientId(), salon, salon.start(day, "10:00"), Fixtures.clientAddress());
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        JsonNode hold = held.json();
        assertThat(instant(hold.get("expiresAt"))).isEqualTo(created.plus(Duration.ofMinutes(10)));

        clock.advance(Duration.ofMinutes(9));
        assertThat(extend(hold)).isEqualTo(created.plus(Duration.ofMinutes(19)));
        clock.advance(Duration.ofMinutes(9));
        assertThat(extend(hold)).isEqualTo(created.plus(Duration.ofMinutes(28)));
        clock.advance(Duration.ofMinutes(9));
        assertThat(extend(hold)).as("27 min after creation: 3 min left").isEqualTo(created.plus(Duration.ofMinutes(30)));
        clock.advance(Duration.ofMinutes(2));
        assertThat(extend(hold)).as("29 min after creation").isEqualTo(created.plus(Duration.ofMinutes(30)));

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        Api.Response late = api.patch("/api/v1/holds/" + hold.get("holdId").asString(), Map.of(), "Hold-Token",
                hold.get("token").asString());
        assertThat(late.status()).as(late.toString()).isEqualTo(410);
        assertThat(late.code()).isEqualTo("hold_expired");
        assertThat(heldBy(salon, day)).isEmpty();
    }

    private Instant extend(JsonNode hold) {
        Api.Response extended = api.patch("/api/v1/holds/" + hold.get("holdId").asString(), Map.of(), "Hold-Token",
                hold.get("token").asString());
        assertThat(extended.status()).as(extended.toString()).isEqualTo(200);
        return instant(extended.json().get("expiresAt"));
    }
}

/** The same on PostgreSQL: the network's row lock and count at READ COMMITTED. */
@ActiveProfiles("postgresql")
class HoldAbuseOnPostgresTest extends HoldAbuseOnSqlTest {
}

/** The same on MariaDB (InnoDB, READ COMMITTED: no gap locks between the network's holds). */
@ActiveProfiles("mariadb")
class HoldAbuseOnMariaDbTest extends HoldAbuseOnSqlTest {
}
