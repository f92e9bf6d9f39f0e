package io.holdfast.hold;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param ttl                 lease length of a hold (seed: 600 s)
 * @param maxSlotsPerClient   slots one client may hold at once, so nobody can block a whole schedule
 * @param recordGrace         how long a lapsed hold's record stays findable for a late booking
 * @param selectionTtl        lifetime of an active selection unless renewed (seed: SETEX 10)
 * @param lapseCheckInterval  how often the sweep announces lapsed holds and selections (Redis expiry events sooner)
 * @param sweepInterval       how often lapsed SQL leases are deleted (reads ignore them anyway)
 */
@ConfigurationProperties("holdfast.hold")
record HoldSettings(@DefaultValue("600s") Duration ttl, @DefaultValue("3") int maxSlotsPerClient,
        @DefaultValue("1h") Duration recordGrace, @DefaultValue("10s") Duration selectionTtl,
        @DefaultValue("500ms") Duration lapseCheckInterval, @DefaultValue("30s") Duration sweepInterval) {
}
