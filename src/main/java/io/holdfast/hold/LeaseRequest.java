package io.holdfast.hold;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A hold as the workflow proposes it to a store: identity, owner, token and items are fixed by the caller, so that
 * a retry, an adoption after failover or a failback sync all describe the same hold; the store decides whether it
 * can be granted and sets its expiry.
 *
 * @param network  the client network the request came from ({@code web.ClientNetwork}), whose live slots the store
 *                 counts against the per-address limit; empty when no request stands behind it (an adoption from a
 *                 token, a failback copy), which is then not counted
 * @param retryKey what makes a repeated request "the same request" besides the client and the items: the request's
 *                 Idempotency-Key, or something unique to this one request when it had none (so that it can never be
 *                 answered with another request's hold); null for the store's own identity (client and items),
 *                 which adoptions and the contract tests use
 */
record LeaseRequest(UUID holdId, String clientId, String token, Instant createdAt, List<HoldItem> items,
        String network, String retryKey) {

    public LeaseRequest {
        items = List.copyOf(items);
        network = network == null ? "" : network;
    }

    LeaseRequest(UUID holdId, String clientId, String token, Instant createdAt, List<HoldItem> items) {
        this(holdId, clientId, token, createdAt, items, "", null);
    }

    public static LeaseRequest of(SlotHold hold) {
        return new LeaseRequest(hold.id(), hold.clientId(), hold.token(), hold.createdAt(), hold.items());
    }

    /** The identity a store finds a repeated request by (SHA-256 hex). */
    String fingerprint() {
        return SqlTemporaryStore.fingerprint(retryKey == null ? clientId : clientId + "|key:" + retryKey, items);
    }
}
