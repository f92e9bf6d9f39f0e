package io.holdfast.hold;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A hold as the workflow proposes it to a store: identity, owner, token and items are fixed by the caller, so that
 * a retry, an adoption after failover or a failback sync all describe the same hold; the store decides whether it
 * can be granted and sets its expiry.
 */
record LeaseRequest(UUID holdId, String clientId, String token, Instant createdAt, List<HoldItem> items) {

    public LeaseRequest {
        items = List.copyOf(items);
    }

    public static LeaseRequest of(SlotHold hold) {
        return new LeaseRequest(hold.id(), hold.clientId(), hold.token(), hold.createdAt(), hold.items());
    }
}
