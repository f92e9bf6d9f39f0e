package io.holdfast.booking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.holdfast.availability.Availability;
import io.holdfast.catalog.BookingsOnSchedule;
import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.Location;
import io.holdfast.catalog.ScheduledBooking;
import io.holdfast.catalog.ServiceOffering;
import io.holdfast.catalog.StaffMember;
import io.holdfast.catalog.StaffSchedule;
import io.holdfast.hold.HoldItem;
import io.holdfast.hold.Holds;
import io.holdfast.hold.SlotHold;
import io.holdfast.Refusal;
import io.holdfast.catalog.CatalogRefused;
import io.holdfast.web.EmailAddresses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Confirming, cancelling and rescheduling bookings. Each runs in one SQL transaction whose granule inserts are
 * the final word on overlap; the hold is released and viewers are told only after the commit.
 */
@Service
public class Bookings implements BookingsOnSchedule {

    private static final Logger log = LoggerFactory.getLogger(Bookings.class);
    /** Booking latency buckets: the range a guest notices, 10 ms to 10 s. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final BookingTable table;
    private final Holds holds;
    private final Catalog catalog;
    private final Availability availability;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Counter confirmedBookings;
    private final Counter cancelledBookings;
    private final Counter rescheduledBookings;
    /** By outcome: "confirmed", "error" or a refusal's problem code (a closed set). */
    private final java.util.concurrent.ConcurrentMap<String, Timer> latencies =
            new java.util.concurrent.ConcurrentHashMap<>();

    Bookings(BookingTable table, Holds holds, Catalog catalog, Availability availability,
            PlatformTransactionManager transactionManager, ApplicationEventPublisher events, Clock clock,
            MeterRegistry metrics) {
        this.table = table;
        this.holds = holds;
        this.catalog = catalog;
        this.availability = availability;
        this.transactions = new TransactionTemplate(transactionManager);
        this.events = events;
        this.clock = clock;
        this.metrics = metrics;
        this.confirmedBookings = changes(metrics, "confirmed");
        this.cancelledBookings = changes(metrics, "cancelled");
        this.rescheduledBookings = changes(metrics, "rescheduled");
        latency("confirmed"); // present from the start, so a dashboard sees a zero rather than no series
    }

    private static Counter changes(MeterRegistry metrics, String change) {
        return Counter.builder("holdfast.bookings").tag("change", change)
                .description("Bookings confirmed, cancelled or rescheduled (one per booked service)").register(metrics);
    }

    /**
     * The time a confirmation takes on the server, from claiming the hold to the cache invalidation every instance
     * acknowledged: what the guest waits for after pressing "book". A histogram with a few fixed buckets, so
     * percentiles can be aggregated across instances without dozens of series per outcome; {@code outcome} is
     * {@code confirmed} or the problem code of a refusal.
     */
    private Timer latency(String outcome) {
        // Kept once made: registering again builds the meter's id and its buckets at every booking (issue #13).
        return latencies.computeIfAbsent(outcome, key -> Timer.builder("holdfast.booking.latency")
                .tag("outcome", outcome).description("Time to confirm a hold into bookings")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(metrics));
    }

    /** A booking just made, with the one copy of its manage token that will ever exist in clear. */
    public record Confirmed(Booking booking, String manageToken) {
    }

    /**
     * Who is acting on an existing booking: its customer (by manage token, or by a guest session of the customer's
     * email) or an admin.
     *
     * @param sessionEmail the email of the caller's live guest session, or null
     */
    public record Access(String manageToken, String sessionEmail, boolean admin) {
    }

    public List<Confirmed> confirm(UUID holdId, String holdToken, Booking.Customer customer, String notes) {
        return confirm(holdId, holdToken, customer, notes, made -> { });
    }

    /**
     * Confirms, and hands the bookings to {@code inTransaction} as the last step of their transaction, before its
     * commit: what it writes commits with them or not at all (the request's Idempotency-Key answer, issue #13). A
     * failure there rolls the bookings back.
     */
    public List<Confirmed> confirm(UUID holdId, String holdToken, Booking.Customer customer, String notes,
            java.util.function.Consumer<List<Confirmed>> inTransaction) {
        Timer.Sample sample = Timer.start(metrics);
        String outcome = "error";
        try {
            List<Confirmed> confirmed = confirmHold(holdId, holdToken, customer, notes, inTransaction);
            outcome = "confirmed";
            confirmedBookings.increment(confirmed.size());
            return confirmed;
        } catch (Refusal refused) {
            outcome = refused.code();
            throw refused;
        } finally {
            sample.stop(latency(outcome));
        }
    }

    private List<Confirmed> confirmHold(UUID holdId, String holdToken, Booking.Customer customer, String notes,
            java.util.function.Consumer<List<Confirmed>> inTransaction) {
        Holds.Claim claim = holds.claimForBooking(holdId, holdToken);
        SlotHold hold = claim.hold();
        Instant now = clock.instant();
        // Everything that needs no database is made before the transaction: its first statement locks the staff
        // members' rows, and every other booking of theirs waits for the commit (issue #13).
        List<Confirmed> confirmed = new ArrayList<>();
        List<String> tokenHashes = new ArrayList<>();
        for (HoldItem item : hold.items()) {
            ServiceOffering service = catalog.service(item.serviceId()).orElseThrow();
            String manageToken = HashedSecrets.create();
            confirmed.add(new Confirmed(new Booking(UUID.randomUUID(), item.staffId(), item.serviceId(), item.start(),
                    item.end(), Booking.Status.CONFIRMED, customer, notes, service.priceCents(), now, null),
                    manageToken));
            tokenHashes.add(HashedSecrets.hash(manageToken));
        }
        try {
            transactions.executeWithoutResult(status -> {
                requireScheduleAllows(hold.items());
                for (int i = 0; i < confirmed.size(); i++) {
                    Confirmed made = confirmed.get(i);
                    table.insert(made.booking(), tokenHashes.get(i), hold.items().get(i).occupancy());
                    events.publishEvent(BookingWritten.confirmed(made.booking(), made.manageToken()));
                }
                inTransaction.accept(List.copyOf(confirmed));
            });
        } catch (DuplicateKeyException overlap) {
            // The lease is worthless now (a booking made while it was unseen, e.g. across a failover, won);
            // free it so the customer's slot limit is not spent on it.
            holds.releaseAfterBooking(hold);
            throw BookingRefused.booked("Someone else booked that time first");
        } catch (RuntimeException failure) {
            holds.abandonClaim(claim);
            throw failure;
        }
        // The audit line of a booking (ids only, no personal data); the request id in the MDC ties it to the request.
        confirmed.forEach(c -> log.info("Booking {} confirmed: staff {}, {} from hold {}", c.booking().id(),
                c.booking().staffId(), c.booking().start(), hold.id()));
        afterCommit(hold, () -> confirmed.forEach(c -> changed(true, c.booking())));
        announce(new BookingConfirmed(confirmed));
        return confirmed;
    }

    public Booking find(UUID id, Access access) {
        Booking booking = table.find(id).orElseThrow(() -> BookingRefused.notFound("Booking", id));
        authorize(id, access);
        return booking;
    }

    public void cancel(UUID id, Access access) {
        authorize(id, access);
        BookingCancelled cancelled = transactions.execute(status -> {
            Booking booking = table.lock(id).orElseThrow(() -> BookingRefused.notFound("Booking", id));
            if (booking.status() == Booking.Status.CANCELLED) {
                return null;
            }
            requireBeforeCutoff(booking, access);
            table.cancel(id, clock.instant());
            table.vacate(id);
            events.publishEvent(BookingWritten.cancelled(table.find(id).orElseThrow()));
            return new BookingCancelled(booking, clock.instant(), table.revision(id));
        });
        if (cancelled != null) {
            cancelledBookings.increment();
            changed(false, cancelled.booking());
            announce(cancelled);
        }
    }

    /** Moves a booking to the time of a one-item hold; the old time is freed in the same transaction. */
    public Booking reschedule(UUID id, Access access, UUID holdId, String holdToken) {
        authorize(id, access);
        Booking current = table.find(id).orElseThrow(() -> BookingRefused.notFound("Booking", id));
        if (current.status() != Booking.Status.CONFIRMED) {
            throw BookingRefused.unavailable("A cancelled booking cannot be rescheduled");
        }
        requireBeforeCutoff(current, access);
        Holds.Claim claim = holds.claimForBooking(holdId, holdToken);
        SlotHold hold = claim.hold();
        HoldItem item = hold.items().get(0);
        Move move;
        try {
            if (hold.items().size() != 1) {
                throw BookingRefused.invalid("A reschedule needs a hold of exactly one slot");
            }
            ServiceOffering service = catalog.service(item.serviceId()).orElseThrow();
            move = transactions.execute(status -> {
                requireScheduleAllows(hold.items());
                Booking locked = table.lock(id).orElseThrow(() -> BookingRefused.notFound("Booking", id));
                if (locked.status() != Booking.Status.CONFIRMED) {
                    throw BookingRefused.unavailable("A cancelled booking cannot be rescheduled");
                }
                table.vacate(id);
                table.occupy(id, item.staffId(), item.occupancy());
                table.move(id, item.staffId(), item.serviceId(), item.start(), item.end(), service.priceCents());
                events.publishEvent(BookingWritten.rescheduled(table.find(id).orElseThrow(), locked));
                return new Move(locked, table.revision(id));
            });
        } catch (DuplicateKeyException overlap) {
            holds.abandonClaim(claim);
            throw BookingRefused.booked("Someone else booked that time first");
        } catch (RuntimeException failure) {
            holds.abandonClaim(claim);
            throw failure;
        }
        Booking before = move.before();
        afterCommit(hold, () -> {
            changed(false, before);
            changed(true, item.staffId(), item.start(), item.end());
        });
        rescheduledBookings.increment();
        Booking moved = table.find(id).orElseThrow();
        announce(new BookingRescheduled(moved, before.start(), before.end(), clock.instant(), move.revision()));
        return moved;
    }

    /** A booking as it was before its move, and its revision after it. */
    private record Move(Booking before, int revision) {
    }

    /**
     * The first statement of a confirmation's transaction: locks the staff members' rows, as every schedule change
     * does first (see {@code CatalogChanges}), then checks the items against the schedule as committed now. A hold
     * may predate time off, new working hours or a deletion; without the lock, a confirmation and a schedule change
     * could each miss the other and leave a booking on time off. First, too, so that MariaDB's snapshot is taken
     * after the lock.
     */
    private void requireScheduleAllows(List<HoldItem> items) {
        if (!catalog.lockStaff(items.stream().map(HoldItem::staffId).toList())) {
            throw BookingRefused.unavailable("That staff member no longer takes bookings");
        }
        for (HoldItem item : items) {
            StaffSchedule schedule = catalog.schedule(item.staffId(), item.occupancy().from(), item.occupancy().to())
                    .orElseThrow();
            // The schedule's staff member is read after the lock, with the services offered now.
            if (!schedule.staff().offers(item.serviceId())) {
                throw BookingRefused.unavailable("Staff member " + item.staffId()
                        + " no longer offers service " + item.serviceId());
            }
            if (!schedule.allows(item.start(), item.end(), item.occupancy().from(), item.occupancy().to())) {
                throw BookingRefused.unavailable("The schedule changed since the hold: "
                        + item.start() + " is now outside working hours or on time off");
            }
            // The notice and the window are checked again as of now: a hold made in time may have waited (or its
            // location's rules changed) until its start is too soon, and a booking inside the notice could then not
            // even be cancelled (its cut-off passed).
            availability.untimely(schedule, item.start()).ifPresent(why -> {
                throw BookingRefused.unavailable("That time can no longer be booked: " + why);
            });
        }
    }

    @Override
    public List<ScheduledBooking> upcomingOfStaff(java.util.Collection<Long> staffIds, Instant from) {
        return table.upcoming(staffIds, null, from);
    }

    @Override
    public List<ScheduledBooking> upcomingOfService(long serviceId, Instant from) {
        return table.upcoming(null, serviceId, from);
    }

    /** Cancels in the caller's (a schedule change's) transaction; the rest of {@link #cancel} follows its commit. */
    @Override
    public Runnable cancelWithChange(List<ScheduledBooking> bookings) {
        Instant now = clock.instant();
        List<BookingCancelled> cancelled = new ArrayList<>();
        for (ScheduledBooking scheduled : bookings) {
            table.lock(scheduled.id()).filter(booking -> booking.status() == Booking.Status.CONFIRMED)
                    .ifPresent(booking -> {
                        table.cancel(booking.id(), now);
                        table.vacate(booking.id());
                        events.publishEvent(BookingWritten.cancelled(table.find(booking.id()).orElseThrow()));
                        cancelled.add(new BookingCancelled(booking, now, table.revision(booking.id())));
                    });
        }
        return () -> cancelled.forEach(event -> {
            Booking booking = event.booking();
            log.info("Booking {} cancelled with a schedule change: staff {}, {}", booking.id(), booking.staffId(),
                    booking.start());
            cancelledBookings.increment();
            changed(false, booking);
            announce(event);
        });
    }

    /**
     * Releases the consumed hold and tells viewers, once the booking has committed. The booking stands whatever
     * happens here, so a failure must not turn it into an error answer (which the client would retry into a
     * {@code slot_booked} against its own booking): a lease left behind lapses on its own, on time that the
     * booking now occupies anyway.
     */
    private void afterCommit(SlotHold hold, Runnable notify) {
        try {
            holds.releaseAfterBooking(hold);
        } catch (RuntimeException failure) {
            log.warn("Hold {} could not be released after its booking committed; it will lapse", hold.id(), failure);
        }
        try {
            notify.run();
        } catch (RuntimeException failure) {
            log.warn("Viewers of the booked day could not be notified for hold {}", hold.id(), failure);
        }
    }

    /**
     * Tells the rest of the server (booking mails, for one) about a committed change. The change stands whatever a
     * listener does, so a listener's failure is logged, never answered.
     */
    private void announce(Object event) {
        try {
            events.publishEvent(event);
        } catch (RuntimeException failure) {
            log.warn("A listener failed on {}", event.getClass().getSimpleName(), failure);
        }
    }

    /** Confirmed and cancelled bookings starting on a local date, for the given staff (all when empty). */
    public List<Booking> onDay(LocalDate date, Long staffId) {
        List<StaffMember> staff = staffId == null ? catalog.staff(null)
                : List.of(catalog.staffMember(staffId).orElseThrow(() -> CatalogRefused.notFound("Staff member", staffId)));
        List<Booking> result = new ArrayList<>();
        for (Location location : catalog.locations()) {
            List<Long> here = staff.stream().filter(s -> s.locationId() == location.id()).map(StaffMember::id).toList();
            Instant from = date.atStartOfDay(location.timeZone()).toInstant();
            Instant to = date.plusDays(1).atStartOfDay(location.timeZone()).toInstant();
            result.addAll(table.between(here, from, to));
        }
        result.sort(java.util.Comparator.comparing(Booking::start).thenComparing(Booking::staffId));
        return result;
    }

    public ZoneId zoneOf(long staffId) {
        StaffMember staff = catalog.staffMember(staffId).orElseThrow();
        return catalog.location(staff.locationId()).orElseThrow().timeZone();
    }

    private void requireBeforeCutoff(Booking booking, Access access) {
        if (access.admin()) {
            return; // the salon itself may always change its book
        }
        StaffMember staff = catalog.staffMember(booking.staffId()).orElseThrow();
        int cutoff = catalog.location(staff.locationId()).orElseThrow().rules().cancelCutoffMinutes();
        if (clock.instant().plus(Duration.ofMinutes(cutoff)).isAfter(booking.start())) {
            throw BookingRefused.tooLate(
                    "Bookings can be changed up to " + cutoff + " minutes before they start");
        }
    }

    private void authorize(UUID id, Access access) {
        if (access.admin()) {
            return;
        }
        if (access.sessionEmail() != null) {
            String customerEmail = table.customerEmail(id).orElseThrow(() -> BookingRefused.notFound("Booking", id));
            if (EmailAddresses.same(customerEmail, access.sessionEmail())) {
                return;
            }
        }
        if (access.manageToken() == null || access.manageToken().isBlank()) {
            if (access.sessionEmail() != null) {
                throw BookingRefused.forbidden("This booking was made for another email than this session's");
            }
            throw BookingRefused.unauthorized(
                    "A Manage-Token header or the customer's session (Authorization: Bearer) is needed for this booking");
        }
        String stored = table.manageTokenHash(id).orElseThrow(() -> BookingRefused.notFound("Booking", id));
        if (!HashedSecrets.matches(stored, access.manageToken())) {
            throw BookingRefused.forbidden("The manage token does not match this booking");
        }
    }

    private void changed(boolean booked, Booking booking) {
        changed(booked, booking.staffId(), booking.start(), booking.end());
    }

    /** Tells viewers (day version) and drops cached availability of the booked time, on every instance. */
    private void changed(boolean booked, long staffId, Instant start, Instant end) {
        availability.bookedTimeChanged(staffId, start, end);
        events.publishEvent(new BookedTimeChanged(booked, staffId, start));
    }
}
