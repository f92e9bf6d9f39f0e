package io.holdfast.hold;

import io.holdfast.availability.HeldGranule;
import io.holdfast.availability.Selection;
import io.holdfast.availability.HeldTimes;
import io.holdfast.redis.StorageMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The only way code touches temporary state: slot holds (leases) and active selections (presence).
 * Implementations must make {@link #hold} all-or-nothing over every granule of every item, idempotent for a
 * retried identical request from the same client, and must enforce the per-client slot limit atomically.
 * Release and extend are compare-by-token: a stale or forged token never touches another client's lease.
 * One contract test suite runs against every implementation.
 */
public interface TemporaryStore extends HeldTimes {

    /**
     * Grants the proposed hold for {@code ttl} if every granule is free, or returns the client's existing hold for
     * the same items, or refuses. A lapsed record with the same id is replaced (the hold is being adopted again).
     */
    default HoldOutcome hold(LeaseRequest request, Duration ttl, int maxSlotsPerClient) {
        return hold(request, ttl, maxSlotsPerClient, Integer.MAX_VALUE);
    }

    /**
     * As above, and the request's network ({@link LeaseRequest#network()}, when not empty) may hold at most
     * {@code maxSlotsPerAddress} live slots, counted as atomically as the per-client limit: parallel requests of one
     * network under rotating clientIds cannot exceed it.
     */
    HoldOutcome hold(LeaseRequest request, Duration ttl, int maxSlotsPerClient, int maxSlotsPerAddress);

    /** The hold's record, live or lapsed within its grace period. */
    Optional<SlotHold> findHold(UUID holdId);

    /** Removes the lease and the record if the token matches; false when it does not or the hold is gone. */
    boolean release(UUID holdId, String token);

    /** Whether this hold was released (or booked) recently: its token must not bring it back. */
    boolean wasReleased(UUID holdId);

    /** Moves a live hold's expiry to now + ttl if the token matches; empty when it does not or the hold lapsed. */
    Optional<Instant> extend(UUID holdId, String token, Duration ttl);

    /** Live leased granules of one staff member in [fromGranule, toGranule], in one round trip. */
    List<HeldGranule> heldGranules(long staffId, long fromGranule, long toGranule);

    /** Who is looking at which start of this staff member's day. */
    List<Selection> selections(long staffId, LocalDate date);

    /** Records that a client is looking at a slot; replaces the client's earlier selection on that day. */
    void select(Selection selection, Duration ttl);

    void unselect(long staffId, LocalDate date, String clientId);

    /**
     * Holds whose lease ran out and whose lapse nobody has announced yet; each is returned to exactly one caller
     * across all instances, so it is announced once.
     */
    List<SlotHold> takeLapsed(int max);

    /** Selections that ran out unrenewed and nobody has announced yet; each goes to exactly one caller. */
    List<Selection> takeLapsedSelections(int max);

    StorageMode mode();

    /** Every live hold, for the admin listing, and the store that answered. */
    Listing listLive();

    record Listing(StorageMode store, List<SlotHold> holds) {
    }

    /** Every live selection with its expiry, for the admin listing, and the store that answered. */
    SelectionListing listLiveSelections();

    record SelectionListing(StorageMode store, List<TimedSelection> selections) {
    }
}
