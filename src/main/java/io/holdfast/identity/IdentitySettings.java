package io.holdfast.identity;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param codeTtl          how long a one-time code can be used (seed: 600 s)
 * @param maxCodeAttempts  tries of a code from one client network (an IPv4 address, an IPv6 /64); after them that
 *                         network's tries are refused, even the right code, while the guest elsewhere keeps theirs
 * @param maxCodeAttemptsTotal tries of a code from all networks together, after which it is dead for everyone: at
 *                         most this many of the million codes are ever tried (see {@link OneTimeCodes})
 * @param sessionTtl       lifetime of a guest session (seed: 86400 s)
 * @param rateLimits       how often codes may be sent and tried
 * @param sweepInterval    how often expired codes, sessions and rate-limit rows are deleted from SQL
 */
@ConfigurationProperties("holdfast.identity")
record IdentitySettings(@DefaultValue("10m") Duration codeTtl, @DefaultValue("5") int maxCodeAttempts,
        @DefaultValue("10") int maxCodeAttemptsTotal,
        @DefaultValue("24h") Duration sessionTtl, @DefaultValue RateLimits rateLimits,
        @DefaultValue("10m") Duration sweepInterval) {

    /**
     * Each limit allows so many requests per window; the window starts with the first request and its whole budget
     * comes back when it ends (the seed's {@code INCR} + {@code EXPIRE 600}).
     *
     * @param window         the window of every limit (seed: 600 s)
     * @param sendsPerEmail  codes sent to one address per window from one client network (seed: 3): a stranger
     *                       elsewhere cannot spend the guest's own budget
     * @param sendsPerEmailTotal codes sent to one address per window from all networks together, so that many
     *                       networks cannot flood one inbox
     * @param sendsPerClient codes requested from one client address per window, whatever the recipients
     * @param verifiesPerClient code checks from one client address per window, whatever the addresses
     */
    record RateLimits(@DefaultValue("10m") Duration window, @DefaultValue("3") int sendsPerEmail,
            @DefaultValue("10") int sendsPerEmailTotal,
            @DefaultValue("20") int sendsPerClient, @DefaultValue("30") int verifiesPerClient) {
    }
}
