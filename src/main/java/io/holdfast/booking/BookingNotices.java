package io.holdfast.booking;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.Location;
import io.holdfast.catalog.ServiceOffering;
import io.holdfast.catalog.StaffMember;
import io.holdfast.identity.GuestMail;
import io.holdfast.identity.MailMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The mails a guest gets about their bookings: the confirmation (with a calendar invitation and the manage links),
 * a notice when a booking moves (the invitation updated) and one when it is cancelled (the invitation withdrawn).
 * They are composed after the booking committed and only queued here; delivery never touches the booking.
 *
 * <p>Manage links point at {@code holdfast.public-url} (by default this server on its own port):
 * {@code /manage/<booking id>#token=<manage token>}, the token
 * in the fragment, which browsers never send to a server or in a Referer.
 */
@Component
public class BookingNotices {

    private static final Logger log = LoggerFactory.getLogger(BookingNotices.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE, d MMMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    private final GuestMail mail;
    private final Catalog catalog;
    private final PublicUrl publicUrl;
    private final Clock clock;
    private final BookingTable table;

    BookingNotices(GuestMail mail, Catalog catalog, PublicUrl publicUrl, Clock clock, BookingTable table) {
        this.mail = mail;
        this.catalog = catalog;
        this.publicUrl = publicUrl;
        this.clock = clock;
        this.table = table;
    }

    private String publicUrl() {
        return publicUrl.base();
    }

    @EventListener
    void confirmed(BookingConfirmed event) {
        if (event.bookings().isEmpty()) {
            return;
        }
        Booking first = event.bookings().get(0).booking();
        StringBuilder text = new StringBuilder("Hello " + oneLine(first.customer().name()) + ",\n\n")
                .append(event.bookings().size() == 1 ? "your booking is confirmed:\n" : "your bookings are confirmed:\n");
        List<CalendarInvite.Event> invites = new ArrayList<>();
        Details firstDetails = null;
        for (Bookings.Confirmed confirmed : event.bookings()) {
            Booking booking = confirmed.booking();
            Details details = details(booking);
            if (firstDetails == null) {
                firstDetails = details; // read once: each is three catalogue look-ups (issue #13)
            }
            String link = publicUrl() + "/manage/" + booking.id();
            String fragment = "#token=" + confirmed.manageToken();
            text.append("\n  ").append(details.summary()).append('\n')
                    .append("  ").append(details.when()).append('\n')
                    .append("  ").append(details.location().name()).append('\n')
                    .append("\n  See it:     ").append(link).append(fragment)
                    .append("\n  Cancel it:  ").append(link).append("?action=cancel").append(fragment)
                    .append("\n  Move it:    ").append(link).append("?action=reschedule").append(fragment).append('\n');
            // No manage link in the calendar file: it is copied into every calendar the event is shared to, and
            // the link's token lets anyone holding it cancel or move the booking. The mail keeps the links.
            invites.add(invite(booking, 0, details, "Cancel or move it with the links in your confirmation mail."));
        }
        text.append("\nBookings can be cancelled or moved up to ")
                .append(firstDetails.location().rules().cancelCutoffMinutes())
                .append(" minutes before they start. The attached invitation puts them in your calendar.\n");
        send(first, event.bookings().size() == 1 ? "Your booking is confirmed: " + firstDetails.summary()
                : "Your bookings are confirmed", text.toString(), CalendarInvite.Method.REQUEST, invites);
    }

    @EventListener
    void rescheduled(BookingRescheduled event) {
        Booking booking = event.booking();
        Details details = details(booking);
        String before = when(event.previousStart(), event.previousEnd(), details.location().timeZone());
        String text = "Hello " + oneLine(booking.customer().name()) + ",\n\nyour booking has moved:\n\n  " + details.summary()
                + "\n  now:    " + details.when() + "\n  before: " + before + "\n  " + details.location().name()
                + "\n\nThe links in your confirmation mail still manage it. The attached invitation updates your calendar.\n";
        send(booking, "Your booking has moved: " + details.summary(), text, CalendarInvite.Method.REQUEST,
                List.of(invite(booking, event.revision(), details, "Moved from " + before)));
    }

    @EventListener
    void cancelled(BookingCancelled event) {
        Booking booking = event.booking();
        Details details = details(booking);
        String text = "Hello " + oneLine(booking.customer().name()) + ",\n\nyour booking is cancelled:\n\n  " + details.summary()
                + "\n  " + details.when() + "\n  " + details.location().name()
                + "\n\nThe time is free again. The attached cancellation removes it from your calendar.\n";
        send(booking, "Your booking is cancelled: " + details.summary(), text, CalendarInvite.Method.CANCEL,
                List.of(invite(booking, event.revision(), details, "Cancelled")));
    }

    /**
     * The reminder of a coming booking (sent by the notification module's jobs, not queued here): when and where in
     * the location's zone, the manage links when the manage token is known, and the calendar invitation again, so a
     * guest who lost it can still add the appointment.
     *
     * @param manageToken the booking's manage token in clear, or null (the link then opens the manage page, where
     *                    the guest signs in with their email)
     */
    public MailMessage reminder(Booking booking, String manageToken) {
        Details details = details(booking);
        String link = publicUrl() + "/manage/" + booking.id();
        String fragment = manageToken == null ? "" : "#token=" + manageToken;
        String text = "Hello " + booking.customer().name() + ",\n\na reminder of your booking:\n\n  " + details.summary()
                + "\n  " + details.when() + "\n  " + details.location().name()
                + "\n\n  See it:     " + link + fragment
                + "\n  Cancel it:  " + link + "?action=cancel" + fragment
                + "\n  Move it:    " + link + "?action=reschedule" + fragment
                + "\n\nBookings can be cancelled or moved up to " + details.location().rules().cancelCutoffMinutes()
                + " minutes before they start. The attached invitation puts it in your calendar.\n";
        String ics = CalendarInvite.of(CalendarInvite.Method.REQUEST, mail.sender(), clock.instant(),
                // The booking's current revision: a reminder changes nothing, so calendars keep the event as it is.
                List.of(invite(booking, table.revision(booking.id()), details,
                        "Cancel or move it with the links in your confirmation mail.")));
        return new MailMessage(booking.customer().email(), "Reminder: " + details.summary() + ", " + details.when(),
                text, List.of(new MailMessage.Attachment("invite.ics",
                        "text/calendar; charset=UTF-8; method=REQUEST", ics)));
    }

    private void send(Booking booking, String subject, String text, CalendarInvite.Method method,
            List<CalendarInvite.Event> events) {
        String ics = CalendarInvite.of(method, mail.sender(), clock.instant(), events);
        mail.send(new MailMessage(booking.customer().email(), subject, text, List.of(new MailMessage.Attachment(
                method == CalendarInvite.Method.CANCEL ? "cancel.ics" : "invite.ics",
                "text/calendar; charset=UTF-8; method=" + method.name(), ics))));
        log.debug("Queued '{}' for booking {}", subject, booking.id());
    }

    private record Details(ServiceOffering service, StaffMember staff, Location location, String summary, String when) {
    }

    private Details details(Booking booking) {
        ServiceOffering service = catalog.service(booking.serviceId()).orElseThrow();
        StaffMember staff = catalog.staffMember(booking.staffId()).orElseThrow();
        Location location = catalog.location(staff.locationId()).orElseThrow();
        return new Details(service, staff, location, service.name() + " with " + staff.name(),
                when(booking.start(), booking.end(), location.timeZone()));
    }

    private static String when(Instant start, Instant end, ZoneId zone) {
        ZonedDateTime from = start.atZone(zone);
        ZonedDateTime to = end.atZone(zone);
        return DAY.format(from) + ", " + TIME.format(from) + "-" + TIME.format(to) + " (" + zone.getId() + ")";
    }

    private CalendarInvite.Event invite(Booking booking, int sequence, Details details, String description) {
        return new CalendarInvite.Event(booking.id() + "@holdfast", sequence, booking.start(), booking.end(),
                details.summary(), details.location().name(), description, booking.customer().name(),
                booking.customer().email());
    }

    /**
     * A customer's name as one line of a mail body: line breaks and other control characters become spaces, so a
     * name cannot add lines (a fake link, a fake signature) to the mail Holdfast sends in its own name.
     */
    private static String oneLine(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c)
                || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR ? ' ' : c));
        return out.toString();
    }
}
