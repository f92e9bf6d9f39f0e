package io.holdfast.hold;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A lease on one or more slots for one client. The token proves ownership for extend, release and booking.
 * A lapsed hold's record outlives its lease for a grace period so that its owner can still book if the slots
 * stayed free. {@code createdAt} bounds the hold's lifetime, and orders competing holds when two stores are merged
 * after a failover (the earlier hold wins), unless the hold was adopted again from its token: it has held its time
 * only since then (see {@code FailbackSync}).
 */
public record SlotHold(UUID id, String clientId, String token, List<HoldItem> items, Instant createdAt,
        Instant expiresAt) {

    public boolean liveAt(Instant now) {
        return expiresAt.isAfter(now);
    }
}
