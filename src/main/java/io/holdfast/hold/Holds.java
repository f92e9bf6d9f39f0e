package io.holdfast.hold;

import io.holdfast.availability.Selection;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.holdfast.availability.Availability;
import io.holdfast.availability.BookableSlot;
import io.holdfast.Refusal;
import io.holdfast.availability.SlotRefused;
import io.holdfast.identity.RequestBudgets;
import io.holdfast.web.ClientNetwork;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * The hold workflow: check each requested start against the schedule and the confirmed bookings, then ask the
 * temporary store for an all-or-nothing lease. The store decides between competing holds; the database's
 * overlap guard decides between competing bookings.
 */
@Service
public class Holds {

    private static final Logger log = LoggerFactory.getLogger(Holds.class);

    private final Availability availability;
    private final TemporaryStore store;
    private final ApplicationEventPublisher events;
    private final HoldSettings settings;
    private final HoldTokens tokens;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final RequestBudgets budgets;
    private final java.util.concurrent.ConcurrentMap<String, Counter> counters =
            new java.util.concurrent.ConcurrentHashMap<>();

    Holds(Availability availability, TemporaryStore store, ApplicationEventPublisher events, HoldSettings settings,
            HoldTokens tokens, Clock clock, MeterRegistry metrics, RequestBudgets budgets) {
        this.budgets = budgets;
        this.availability = availability;
        this.store = store;
        this.events = events;
        this.settings = settings;
        this.tokens = tokens;
        this.clock = clock;
        this.metrics = metrics;
        // The usual answers exist from the start, so a dashboard's rate() sees a zero rather than no series.
        counted("granted", "none");
        counted("repeated", "none");
        for (String usual : List.of("slot_held", "slot_booked", "slot_unavailable", "hold_limit_reached",
                "rate_limited")) {
            counted("refused", usual);
        }
    }

    /** A requested appointment: who, which service, when. */
    public record Request(long staffId, long serviceId, Instant start) {
    }

    /** The outcome callers need: the hold, and whether it was newly granted (201) or a retry (200). */
    public record Granted(SlotHold hold, boolean created) {
    }

    /**
     * Places a hold, all or nothing, and counts the answer in {@code holdfast.holds}: {@code granted},
     * {@code repeated} (a retry answered with the same hold) or {@code refused} with the API's problem code as reason.
     *
     * @param clientAddress  where the request came from: its network's request budget pays for it, and its network
     *                       may hold at most {@code holdfast.hold.max-slots-per-address} slots
     * @param moving         the booking the caller is rescheduling (already authorized), whose own time the hold may
     *                       overlap; null for an ordinary hold. Anyone else's booking or hold still refuses it.
     * @param idempotencyKey the request's Idempotency-Key, or null: only a retry with the same key (and the same
     *                       client and items) is answered with the hold it made. A clientId travels in query strings,
     *                       so without the key asking again for held time is {@code slot_held}, never the token.
     */
    public Granted place(String clientId, String clientAddress, List<Request> requests, UUID moving,
            String idempotencyKey) {
        try {
            takeRequest(clientAddress);
            Granted granted = lease(clientId, network(clientAddress), requests, moving, idempotencyKey);
            counted(granted.created() ? "granted" : "repeated", "none").increment();
            return granted;
        } catch (Refusal refused) {
            counted("refused", refused.code()).increment();
            throw refused;
        }
    }

    /** One request of the client network's budget of hold and selection requests (429 {@code rate_limited}). */
    private void takeRequest(String clientAddress) {
        budgets.take("hold-requests", clientAddress, settings.requestsPerAddress(), java.time.Duration.ofMinutes(1),
                "Too many hold and selection requests came from your network address");
    }

    /** The network a hold counts against, short enough for a key and a column (a long non-address text is hashed). */
    private static String network(String clientAddress) {
        String network = ClientNetwork.of(clientAddress);
        if (network.length() <= 60) {
            return network;
        }
        try {
            return "h-" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(network.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 28);
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * One series per answer; the reasons are the API's problem codes, a closed set. Kept once made: registering
     * again builds and looks up the meter's id at every hold (issue #13).
     */
    private Counter counted(String outcome, String reason) {
        return counters.computeIfAbsent(outcome + '/' + reason, key -> Counter.builder("holdfast.holds")
                .tag("outcome", outcome).tag("reason", reason)
                .description("Hold requests by answer: granted, repeated (same hold again) or refused, and why")
                .register(metrics));
    }

    private Granted lease(String clientId, String network, List<Request> requests, UUID moving,
            String idempotencyKey) {
        List<BookableSlot> slots = new ArrayList<>();
        for (Request request : requests) {
            slots.add(availability.requireBookable(request.staffId(), request.serviceId(), request.start(), moving));
        }
        for (int i = 0; i < slots.size(); i++) {
            for (int j = i + 1; j < slots.size(); j++) {
                BookableSlot a = slots.get(i);
                BookableSlot b = slots.get(j);
                if (a.staffId() == b.staffId() && a.occupancy().overlaps(b.occupancy().from(), b.occupancy().to())) {
                    throw HoldRefused.invalid("Items " + i + " and " + j + " overlap for staff member " + a.staffId());
                }
            }
        }
        List<HoldItem> items = slots.stream()
                .map(slot -> new HoldItem(slot.staffId(), slot.service().id(), slot.candidate().instant(),
                        slot.candidate().instant().plus(slot.service().duration()), slot.occupancy()))
                .toList();
        UUID holdId = HoldIds.next();
        Instant createdAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        // Without a key the request is one of a kind: no later request can be "the same" and get this hold's token.
        String retryKey = idempotencyKey != null ? idempotencyKey : "once:" + holdId;
        LeaseRequest request = new LeaseRequest(holdId, clientId, tokens.mint(holdId, clientId, createdAt, items),
                createdAt, items, network, retryKey);
        HoldOutcome outcome = store.hold(request, leaseFor(createdAt), settings.maxSlotsPerClient(),
                settings.maxSlotsPerAddress());
        switch (outcome.kind()) {
            case CONFLICT:
                throw HoldRefused.held("Someone else is holding that time");
            case LIMIT_REACHED:
                throw HoldRefused.limitReached(
                        "A client may hold at most " + settings.maxSlotsPerClient() + " slots at once");
            case ADDRESS_LIMIT_REACHED:
                throw HoldRefused.limitReached("Your network address holds " + settings.maxSlotsPerAddress()
                        + " slots already, the most it may hold at once; release one or book");
            case CREATED:
                requireStillUnbooked(outcome.hold(), moving);
                events.publishEvent(new HoldChanged(HoldChanged.Change.HELD, outcome.hold().items()));
                return new Granted(outcome.hold(), true);
            default:
                return new Granted(outcome.hold(), false);
        }
    }

    /**
     * The schedule was checked before the lease was taken, and the bookings only as the cached day knows them; a
     * booking may have committed in between (its own hold is released only after its commit, which is what let
     * this lease in). This is the database's word on it, and the only one a free slot gets. A lease must never be
     * granted on booked time, so look again now that the lease is ours: any booking that could still conflict would
     * need a lease overlapping this one, which the store refuses.
     */
    private void requireStillUnbooked(SlotHold hold, UUID moving) {
        try {
            for (HoldItem item : hold.items()) {
                availability.requireNotBooked(item.staffId(), item.occupancy(), moving);
            }
        } catch (SlotRefused booked) {
            try {
                store.release(hold.id(), hold.token());
            } catch (RuntimeException failure) {
                log.warn("Hold {} on booked time could not be released; it will lapse", hold.id(), failure);
            }
            throw booked;
        }
    }

    public Instant extend(UUID holdId, String token) {
        // A genuine token says when its hold was created, which is all the lease needs: extend at once (one round trip
        // on Redis), and read the record only when that fails, to tell the owner why or to adopt the hold.
        Optional<LeaseRequest> described = tokens.verify(holdId, token);
        if (described.isPresent()) {
            java.time.Duration lease = leaseFor(described.get().createdAt());
            if (lease.compareTo(java.time.Duration.ZERO) > 0) {
                Optional<Instant> extended = store.extend(holdId, token, lease);
                if (extended.isPresent()) {
                    return extended.get();
                }
            }
        }
        Optional<SlotHold> found = store.findHold(holdId);
        if (found.isEmpty()) {
            // The store in use cannot see this hold (it lives in the store that failed): adopt it from its token.
            SlotHold adopted = adopt(fromToken(holdId, token));
            return adopted.expiresAt();
        }
        requireToken(found.get(), token);
        if (!found.get().liveAt(clock.instant())) {
            throw HoldRefused.lapsed("The hold has lapsed");
        }
        java.time.Duration lease = leaseFor(found.get().createdAt());
        if (lease.compareTo(java.time.Duration.ZERO) <= 0) {
            throw HoldRefused.lapsed("The hold has lapsed");
        }
        return store.extend(holdId, token, lease)
                .orElseThrow(() -> HoldRefused.lapsed("The hold has lapsed"));
    }

    /**
     * A full lease from now, cut at the hold's maximum lifetime from its creation: extending moves the expiry up to
     * {@code createdAt + max-lifetime} and no further. Zero or less when the lifetime is over.
     */
    private java.time.Duration leaseFor(Instant createdAt) {
        java.time.Duration left = java.time.Duration.between(clock.instant(), createdAt.plus(settings.maxLifetime()));
        return left.compareTo(settings.ttl()) < 0 ? left : settings.ttl();
    }

    /**
     * Releases a hold. Idempotent for its owner: a hold already released, booked or lost in a failback is simply
     * gone, which is what the owner asked for (only an unknown or forged token is a 404).
     */
    public void release(UUID holdId, String token) {
        // A genuine token names its hold's items (those of its record): release at once (one round trip on Redis),
        // and read the record only when that fails, to tell a forged or foreign token from a hold that is gone.
        Optional<LeaseRequest> described = tokens.verify(holdId, token);
        if (described.isPresent() && releaseAndAnnounce(holdId, token, described.get().items())) {
            return;
        }
        Optional<SlotHold> found = store.findHold(holdId);
        if (found.isPresent()) {
            releaseAndAnnounce(holdId, token, requireToken(found.get(), token).items());
        } else if (described.isEmpty()) {
            throw HoldRefused.notFound(holdId);
        }
    }

    /**
     * An operator releases a hold (the admin page's release button): the store's record gives the hold's token, and
     * the release then goes the owner's way, so the tombstone that stops the token and the {@code released} event
     * are the same. A hold the store in use does not know, or one gone meanwhile, is a 404.
     */
    public void releaseForOperator(UUID holdId) {
        SlotHold hold = store.findHold(holdId).orElseThrow(() -> HoldRefused.notFound(holdId));
        if (!releaseAndAnnounce(holdId, hold.token(), hold.items())) {
            throw HoldRefused.notFound(holdId);
        }
    }

    private boolean releaseAndAnnounce(UUID holdId, String token, List<HoldItem> items) {
        boolean released = store.release(holdId, token);
        if (released) {
            events.publishEvent(new HoldChanged(HoldChanged.Change.RELEASED, items));
        }
        return released;
    }

    /**
     * The hold a booking may be confirmed against: the live hold, or, when its lease lapsed but nobody took the
     * time meanwhile, a fresh lease on the same items. Throws {@code hold_expired} when the time is gone.
     */
    public Claim claimForBooking(UUID holdId, String token) {
        Optional<SlotHold> found = store.findHold(holdId);
        if (found.isPresent() && requireToken(found.get(), token).liveAt(clock.instant())) {
            return new Claim(found.get(), false);
        }
        LeaseRequest request = found.map(LeaseRequest::of).orElseGet(() -> fromToken(holdId, token));
        HoldOutcome renewed = store.hold(request, settings.ttl(), Integer.MAX_VALUE);
        if (renewed.hold() == null) {
            throw HoldRefused.lapsed("The hold lapsed and someone else took the time");
        }
        return new Claim(renewed.hold(), true);
    }

    /** The hold a booking goes ahead on; {@code renewed} when its lease had to be taken afresh for the booking. */
    public record Claim(SlotHold hold, boolean renewed) {
    }

    /**
     * Undoes what {@link #claimForBooking} did when the booking did not go through: a fresh lease taken for a lapsed
     * hold is released, so a refused booking leaves nothing counting against the client's slot limit. A hold that
     * was still live stays its owner's.
     */
    public void abandonClaim(Claim claim) {
        if (claim.renewed()) {
            store.release(claim.hold().id(), claim.hold().token());
        }
    }

    /** Frees the lease after its booking committed (the booking now occupies the time). */
    public void releaseAfterBooking(SlotHold hold) {
        store.release(hold.id(), hold.token());
    }

    /** A client looks at a slot; viewers hear of it when the client moves to another slot, not on every renewal. */
    public void select(Selection selection, String clientAddress) {
        takeRequest(clientAddress);
        Optional<Selection> before = currentSelection(selection.staffId(), selection.date(), selection.clientId());
        store.select(selection, settings.selectionTtl());
        if (before.isPresent() && before.get().time().equals(selection.time())) {
            return;
        }
        before.ifPresent(earlier -> events.publishEvent(new SelectionChanged(false, earlier)));
        events.publishEvent(new SelectionChanged(true, selection));
    }

    public void unselect(long staffId, LocalDate date, String clientId, String clientAddress) {
        takeRequest(clientAddress);
        Optional<Selection> before = currentSelection(staffId, date, clientId);
        store.unselect(staffId, date, clientId);
        before.ifPresent(earlier -> events.publishEvent(new SelectionChanged(false, earlier)));
    }

    private Optional<Selection> currentSelection(long staffId, LocalDate date, String clientId) {
        return store.selections(staffId, date).stream().filter(s -> s.clientId().equals(clientId)).findFirst();
    }

    private SlotHold adopt(LeaseRequest request) {
        java.time.Duration lease = leaseFor(request.createdAt());
        if (lease.compareTo(java.time.Duration.ZERO) <= 0) {
            throw HoldRefused.lapsed("The hold reached its maximum lifetime");
        }
        HoldOutcome adopted = store.hold(request, lease, settings.maxSlotsPerClient());
        if (adopted.kind() != HoldOutcome.Kind.CREATED) {
            throw HoldRefused.lapsed("The hold lapsed and its time is no longer free");
        }
        try {
            // The token does not say which booking a rescheduling hold was for, so its own time counts as booked.
            requireStillUnbooked(adopted.hold(), null);
        } catch (SlotRefused booked) {
            throw HoldRefused.lapsed( "The hold lapsed and its time has been booked");
        }
        events.publishEvent(new HoldChanged(HoldChanged.Change.HELD, request.items()));
        return adopted.hold();
    }

    private static SlotHold requireToken(SlotHold hold, String token) {
        if (!java.security.MessageDigest.isEqual(hold.token().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                token.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            throw HoldRefused.tokenMismatch();
        }
        return hold;
    }

    /**
     * A hold the store does not know, described by its signed token. Unknown or forged tokens are a 404, and so is
     * the token of a hold that was released or booked: it is used up.
     */
    private LeaseRequest fromToken(UUID holdId, String token) {
        LeaseRequest request = tokens.verify(holdId, token).orElseThrow(() -> HoldRefused.notFound(holdId));
        if (store.wasReleased(holdId)) {
            throw HoldRefused.notFound(holdId);
        }
        if (request.createdAt().plus(settings.tokenLife()).isBefore(clock.instant())) {
            throw HoldRefused.notFound(holdId);
        }
        return request;
    }
}
