package io.holdfast.notification;

import java.time.Clock;
import java.util.Optional;

import io.holdfast.booking.Booking;
import io.holdfast.booking.BookingNotices;
import io.holdfast.booking.Bookings;
import io.holdfast.identity.GuestMail;
import io.holdfast.booking.BookingRefused;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends one reminder when its job runs. The booking is read afresh: a reminder for a cancelled booking, for a time
 * the booking has moved away from, or for a booking that has already started is dropped. The mail is handed to the
 * mail server on the job's own thread, so the job row is deleted only after the mail left; a failure (mail server
 * down) throws and the job is retried.
 *
 * <p>Once: the job row is picked by one instance only. The one gap is an instance dying after the mail server
 * accepted the mail and before the job's completion committed (milliseconds): the job is then revived on another
 * instance and the reminder goes out a second time. That is the at-least-once side a crash has to fall on; a lost
 * reminder would be worse.
 */
@Component
class ReminderMail {

    private static final Logger log = LoggerFactory.getLogger(ReminderMail.class);
    private static final Bookings.Access SYSTEM = new Bookings.Access(null, null, true);

    private final Bookings bookings;
    private final BookingNotices notices;
    private final GuestMail mail;
    private final ManageTokenSeal seal;
    private final Clock clock;
    private final Counter sent;
    private final Counter dropped;
    private final Counter failed;

    ReminderMail(Bookings bookings, BookingNotices notices, GuestMail mail, ManageTokenSeal seal, Clock clock,
            MeterRegistry metrics) {
        this.bookings = bookings;
        this.notices = notices;
        this.mail = mail;
        this.seal = seal;
        this.clock = clock;
        this.sent = outcome(metrics, "sent");
        this.dropped = outcome(metrics, "dropped");
        this.failed = outcome(metrics, "failed");
    }

    private static Counter outcome(MeterRegistry metrics, String outcome) {
        return Counter.builder("holdfast.reminders").tag("outcome", outcome)
                .description("Reminder mails sent, dropped (booking cancelled, moved or started) or failed (retried)")
                .register(metrics);
    }

    void send(String jobId, String sealedToken) {
        ReminderKey key = ReminderKey.parse(jobId);
        Optional<Booking> found = booking(key);
        if (found.isEmpty() || found.get().status() != Booking.Status.CONFIRMED
                || !found.get().start().equals(key.start()) || !clock.instant().isBefore(key.start())) {
            dropped.increment();
            log.debug("Reminder {} dropped: the booking is cancelled, moved or under way", jobId);
            return;
        }
        try {
            mail.sendNow(notices.reminder(found.get(), seal.open(sealedToken)));
        } catch (RuntimeException failure) {
            failed.increment();
            throw failure;
        }
        sent.increment();
        log.info("Reminder {} sent for booking {}", key.lead(), key.bookingId());
    }

    private Optional<Booking> booking(ReminderKey key) {
        try {
            return Optional.of(bookings.find(key.bookingId(), SYSTEM));
        } catch (BookingRefused notFound) {
            return Optional.empty();
        }
    }
}
