package io.holdfast.hold;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param ttl                 lease length of a hold (seed: 600 s)
 * @param maxSlotsPerClient   slots one client may hold at once, so nobody can block a whole schedule
 * @param maxSlotsPerAddress  slots one client address (IPv4 address, IPv6 /64) may hold at once, whatever clientIds
 *                            it names: a clientId is the caller's choice, an address is not (API.md)
 * @param requestsPerAddress  hold and selection requests one client address may send per minute (API.md: 120)
 * @param maxLifetime         how long a hold may live from its creation however often it is extended, so that
 *                            extending cannot keep a slot from everyone else for ever
 * @param recordGrace         how long a lapsed hold's record stays findable for a late booking
 * @param selectionTtl        lifetime of an active selection unless renewed (seed: SETEX 10)
 * @param lapseCheckInterval  how often the sweep announces lapsed holds and selections (Redis expiry events sooner)
 * @param sweepInterval       how often lapsed SQL leases are deleted (reads ignore them anyway)
 * @param writeEarlierRedisForms whether holds are written into Redis as the version before issue #13's compact
 *                            records wrote them ({@link RedisTemporaryStore.Forms#EARLIER}), so that instances of
 *                            that version read them: for the first phase of a rolling upgrade from it; both forms
 *                            are read either way
 */
@ConfigurationProperties("holdfast.hold")
record HoldSettings(@DefaultValue("600s") Duration ttl, @DefaultValue("3") int maxSlotsPerClient,
        @DefaultValue("12") int maxSlotsPerAddress, @DefaultValue("120") int requestsPerAddress,
        @DefaultValue("30m") Duration maxLifetime,
        @DefaultValue("1h") Duration recordGrace, @DefaultValue("10s") Duration selectionTtl,
        @DefaultValue("500ms") Duration lapseCheckInterval, @DefaultValue("30s") Duration sweepInterval,
        @DefaultValue("false") boolean writeEarlierRedisForms) {

    /**
     * How long a hold's token can still do anything, counted from its creation: its lease at the longest (the
     * maximum lifetime, or one lease when that is shorter) and then the grace in which a lapsed hold can be booked.
     * A released hold's marker must live at least this long, or its token would adopt it again.
     */
    Duration tokenLife() {
        return (maxLifetime.compareTo(ttl) > 0 ? maxLifetime : ttl).plus(recordGrace);
    }
}
