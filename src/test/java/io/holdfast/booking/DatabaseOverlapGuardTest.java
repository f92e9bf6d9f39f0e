package io.holdfast.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The overlap guard lives in the database, not in the application: a writer going around the API with plain
 * SQL cannot add a booking that overlaps a confirmed one of the same staff member, while other times and other
 * staff members stay writable.
 */
abstract class DatabaseOverlapGuardTest extends ServerTest {

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private PlatformTransactionManager transactionManager;

    private BookingRows rows;
    private TransactionTemplate transaction;
    private Fixtures.Salon salon;
    private Instant tenOClock;
    private String apiBookingId;

    /** A 10:00-10:30 booking made the normal way, through hold and booking over HTTP. */
    @BeforeEach
    void bookTenOClockThroughTheApi() {
        rows = new BookingRows(jdbc);
        transaction = new TransactionTemplate(transactionManager);
        salon = fixtures.salon(); // 30-minute service, no buffers
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        tenOClock = salon.at(day, "10:00").toInstant();
        var hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "10:00"));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        var booking = fixtures.book(hold.json(), "ann@example.com");
        assertThat(booking.status()).as(booking.toString()).isEqualTo(201);
        apiBookingId = booking.json().get("bookings").get(0).get("id").asString();
        assertThat(rows.confirmedIds(salon.staffId())).containsExactly(apiBookingId);
    }

    @Test
    void aDirectInsertOverlappingAConfirmedBookingIsRefused() {
        Instant from = tenOClock.plus(Duration.ofMinutes(15));
        Instant to = tenOClock.plus(Duration.ofMinutes(45));

        assertThatThrownBy(() -> insertInOneTransaction(salon.staffId(), from, to))
                .isInstanceOf(DataIntegrityViolationException.class);

        assertOnlyTheApiBookingAround(from, to);
    }

    @Test
    void aDirectInsertOfExactlyTheSameTimeIsRefused() {
        Instant from = tenOClock;
        Instant to = tenOClock.plus(Duration.ofMinutes(30));

        assertThatThrownBy(() -> insertInOneTransaction(salon.staffId(), from, to))
                .isInstanceOf(DataIntegrityViolationException.class);

        assertOnlyTheApiBookingAround(from, to);
    }

    @Test
    void aDirectInsertNextToTheBookingIsAccepted() {
        Instant from = tenOClock.plus(Duration.ofMinutes(30)); // 10:30-11:00 touches but does not overlap
        Instant to = tenOClock.plus(Duration.ofMinutes(60));

        UUID inserted = insertInOneTransaction(salon.staffId(), from, to);

        assertThat(rows.confirmedIds(salon.staffId())).containsExactly(apiBookingId, inserted.toString());
        assertThat(rows.overlappingPairs(salon.staffId())).isZero();
        assertThat(rows.granuleOwners(salon.staffId(), from, to)).containsExactly(inserted.toString());
    }

    @Test
    void aDirectInsertOfTheSameTimeForAnotherStaffMemberIsAccepted() {
        long colleague = fixtures.staff(salon.locationId(), List.of(salon.serviceId()));
        Instant from = tenOClock;
        Instant to = tenOClock.plus(Duration.ofMinutes(30));

        UUID inserted = insertInOneTransaction(colleague, from, to);

        assertThat(rows.confirmedIds(colleague)).containsExactly(inserted.toString());
        assertOnlyTheApiBookingAround(from, to);
    }

    private UUID insertInOneTransaction(long staffId, Instant from, Instant to) {
        return transaction.execute(status -> rows.insertConfirmed(staffId, salon.serviceId(), from, to));
    }

    private void assertOnlyTheApiBookingAround(Instant from, Instant to) {
        Instant wideFrom = from.isBefore(tenOClock) ? from : tenOClock;
        Instant end = tenOClock.plus(Duration.ofMinutes(30));
        Instant wideTo = to.isAfter(end) ? to : end;
        assertThat(rows.confirmedOverlapping(salon.staffId(), wideFrom, wideTo)).isEqualTo(1);
        assertThat(rows.confirmedIds(salon.staffId())).containsExactly(apiBookingId);
        assertThat(rows.granuleOwners(salon.staffId(), wideFrom, wideTo)).containsExactly(apiBookingId);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM booking WHERE staff_id = ?").param(salon.staffId())
                .query(Long.class).single()).as("the refused booking row was rolled back with its granules")
                .isEqualTo(1L);
    }
}

@ActiveProfiles("h2")
class DatabaseOverlapGuardOnH2Test extends DatabaseOverlapGuardTest {
}

@ActiveProfiles("postgresql")
class DatabaseOverlapGuardOnPostgresTest extends DatabaseOverlapGuardTest {
}

@ActiveProfiles("mariadb")
class DatabaseOverlapGuardOnMariaDbTest extends DatabaseOverlapGuardTest {
}
