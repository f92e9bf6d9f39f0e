package io.holdfast.booking.web;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.holdfast.booking.Booking;
import io.holdfast.booking.Bookings;
import io.holdfast.identity.GuestSession;
import io.holdfast.identity.GuestSessions;
import io.holdfast.web.ApiProblem;
import io.holdfast.web.BearerScheme;
import io.holdfast.web.EmailAddresses;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.WireTime;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The HTTP-facing side of confirming a booking: the verified-email rule (a guest session whose email is the
 * customer's) and the Idempotency-Key contract around {@link Bookings#confirm}.
 */
@Component
class BookingRequests {

    private final Bookings bookings;
    private final Idempotency idempotency;
    private final BookingSettings settings;
    private final GuestSessions sessions;

    BookingRequests(Bookings bookings, Idempotency idempotency, BookingSettings settings, GuestSessions sessions) {
        this.bookings = bookings;
        this.idempotency = idempotency;
        this.settings = settings;
        this.sessions = sessions;
    }

    /** A booking as the API shows it; {@code manageToken} only in the answer that created it. */
    public record BookingView(UUID id, String status, long staffId, long serviceId, String start, String end,
            String manageToken, Booking.Customer customer, String notes, long priceCents) {

        public static BookingView of(Booking booking, ZoneId zone, String manageToken) {
            return new BookingView(booking.id(), booking.status().name().toLowerCase(Locale.ROOT), booking.staffId(),
                    booking.serviceId(), WireTime.format(booking.start(), zone), WireTime.format(booking.end(), zone),
                    manageToken, booking.customer(), booking.notes(), booking.priceCents());
        }
    }

    public record Created(List<BookingView> bookings) {
    }

    /** The answer as sent (status and JSON), replayed verbatim for a repeated Idempotency-Key. */
    public record Answer(int status, String body) {
    }

    public Answer confirmOnce(String idempotencyKey, Object requestBody, String authorization, UUID holdId,
            String holdToken, Booking.Customer customer, String notes) {
        if (settings.requireVerifiedEmail()) {
            // Checked before the Idempotency-Key is claimed: a refusal here is not the key's answer, so the same
            // request sent again with a session goes through.
            requireSessionOf(authorization, customer.email());
        }
        // The answer is stored in the bookings' own transaction (one statement there instead of a transaction of its
        // own after it, issue #13): a committed booking always has its answer for a retry, and a rolled-back one none.
        var answer = idempotency.once(idempotencyKey, idempotency.hash(requestBody), inTransaction -> {
            Created[] stored = new Created[1];
            List<Bookings.Confirmed> made = bookings.confirm(holdId, holdToken, customer, notes, confirmed -> {
                stored[0] = created(confirmed);
                inTransaction.store(stored[0]);
            });
            return stored[0] != null ? stored[0] : created(made);
        }, HttpStatus.CREATED.value());
        return new Answer(answer.status(), answer.body());
    }

    private Created created(List<Bookings.Confirmed> made) {
        return new Created(made.stream()
                .map(c -> BookingView.of(c.booking(), bookings.zoneOf(c.booking().staffId()), c.manageToken()))
                .toList());
    }

    /** 401 without a live guest session, 403 when the session verified another address than the customer's. */
    private void requireSessionOf(String authorization, String customerEmail) {
        if (authorization == null || authorization.isBlank()) {
            throw new ApiProblem(ProblemCode.UNAUTHORIZED,
                    "Booking needs 'Authorization: Bearer <session token>' from a verified email (POST /api/v1/auth/otp)");
        }
        BearerScheme.refusal(authorization, ProblemCode.UNAUTHORIZED, "session token").ifPresent(refusal -> {
            throw refusal;
        });
        GuestSession session = sessions.fromAuthorization(authorization).orElseThrow(() -> new ApiProblem(
                ProblemCode.UNAUTHORIZED, "The session is not valid (ended, expired or unknown); verify the email again"));
        if (!EmailAddresses.same(session.email(), customerEmail)) {
            throw new ApiProblem(ProblemCode.FORBIDDEN, "The customer email must be the email this session verified");
        }
    }
}
