package io.holdfast.booking;

import static io.holdfast.UtcColumns.toColumn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.Location;
import io.holdfast.catalog.ServiceOffering;
import io.holdfast.catalog.StaffMember;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A staff member's bookings as a calendar others subscribe to (API.md "Staff calendar feed"): a URL carrying a
 * secret, which calendar programs (Google, Apple, Thunderbird, Outlook) fetch again every so often. Subscriptions
 * cannot send headers, so the secret is in the path; it is 256 random bits, stored only as its SHA-256 and compared
 * in constant time. Posting again replaces it, which is how a leaked URL is revoked.
 *
 * <p>The feed lists every confirmed booking from 30 days ago on, one VEVENT each whose UID is the booking id and
 * whose SEQUENCE is its revision: a moved booking updates its event, a cancelled one is simply absent (a subscribed
 * calendar is replaced as a whole on every fetch, so absence removes it). The guest's name, phone and notes are in
 * the event, since that is what the staff member needs; the manage token never is.
 */
@Service
public class CalendarFeeds {

    /** API.md: "every confirmed booking of that staff member from 30 days ago on". */
    static final Duration HISTORY = Duration.ofDays(30);

    private final JdbcClient jdbc;
    private final BookingTable bookings;
    private final Catalog catalog;
    private final PublicUrl publicUrl;
    private final CalendarFeedSettings settings;
    private final Clock clock;

    CalendarFeeds(JdbcClient jdbc, BookingTable bookings, Catalog catalog, PublicUrl publicUrl,
            CalendarFeedSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.bookings = bookings;
        this.catalog = catalog;
        this.publicUrl = publicUrl;
        this.settings = settings;
        this.clock = clock;
    }

    /** Creates the staff member's feed, or replaces its secret (the old URL stops working at once); its URL. */
    @Transactional
    public String create(long staffId) {
        catalog.staffMember(staffId).orElseThrow(() -> BookingRefused.notFound("Staff member", staffId));
        String secret = HashedSecrets.create();
        // Delete and insert rather than an upsert, which the three databases spell differently; two admins
        // rotating at once: the primary key makes one of them fail, and that one's URL was never handed out.
        jdbc.sql("DELETE FROM calendar_feed WHERE staff_id = ?").param(staffId).update();
        jdbc.sql("INSERT INTO calendar_feed (staff_id, secret_hash, created_at) VALUES (?, ?, ?)")
                .params(staffId, HashedSecrets.hash(secret), toColumn(clock.instant())).update();
        return publicUrl.base() + "/api/v1/calendar-feeds/" + staffId + "/" + secret + ".ics";
    }

    /** The feed as an iCalendar text, or empty when there is no feed of that staff member with that secret. */
    public Optional<String> feed(long staffId, String secret) {
        Optional<String> stored = jdbc.sql("SELECT secret_hash FROM calendar_feed WHERE staff_id = ?").param(staffId)
                .query(String.class).optional();
        if (!HashedSecrets.matches(stored.orElse(null), secret)) {
            return Optional.empty();
        }
        Optional<StaffMember> staff = catalog.staffMember(staffId);
        if (staff.isEmpty()) {
            return Optional.empty();
        }
        Location location = catalog.location(staff.get().locationId()).orElseThrow();
        Instant now = clock.instant();
        List<CalendarInvite.Event> events = new ArrayList<>();
        for (BookingTable.Revised revised : bookings.confirmedOfStaff(staffId, now.minus(HISTORY))) {
            Booking booking = revised.booking();
            String service = catalog.service(booking.serviceId()).map(ServiceOffering::name).orElse("Appointment");
            StringBuilder description = new StringBuilder("Customer: ").append(booking.customer().name())
                    .append("\nEmail: ").append(booking.customer().email());
            if (booking.customer().phone() != null && !booking.customer().phone().isBlank()) {
                description.append("\nPhone: ").append(booking.customer().phone());
            }
            if (booking.notes() != null && !booking.notes().isBlank()) {
                description.append("\nNotes: ").append(booking.notes());
            }
            events.add(new CalendarInvite.Event(booking.id().toString(), revised.revision(), booking.start(),
                    booking.end(), service + ": " + booking.customer().name(), location.name(),
                    description.toString(), null, null));
        }
        return Optional.of(CalendarInvite.feed("Holdfast: " + staff.get().name() + " (" + location.name() + ")",
                location.timeZone().getId(), settings.refreshInterval(), now, events));
    }
}
