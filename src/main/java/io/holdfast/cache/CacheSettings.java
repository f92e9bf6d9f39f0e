package io.holdfast.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The cache's settings ({@code holdfast.cache.*}). TTLs follow seed 004: available slots and the dashboard 300 s;
 * catalogue data changes only through the admin API, which invalidates it, so it may live an hour.
 *
 * @param enabled false turns every cache into a pass-through to the database (a rollback switch)
 * @param localTtl how long an instance keeps an entry in its own memory; short, because it is the only bound on
 *        staleness when an invalidation message cannot reach an instance (Redis unreachable)
 * @param localMaxEntries per cache; 0 turns the local level off (every read goes to Redis)
 * @param availabilityTtl Redis TTL of a staff member's day (schedule minus confirmed bookings), and of the day's
 *        schedule alone
 * @param catalogTtl Redis TTL of locations, services and staff
 * @param dashboardTtl Redis TTL of today's dashboard
 * @param ackTimeout how long a change waits for every instance to confirm it dropped its local copies
 * @param loadLease how long one instance may hold the right to load a key while the others wait for its result
 * @param warmDays days ahead (today included) warmed for every staff member
 * @param warmInterval how often warming runs again (a little under the availability TTL keeps hot days in Redis)
 * @param warmOnStart whether warming runs once right after start-up
 */
@ConfigurationProperties("holdfast.cache")
record CacheSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10s") Duration localTtl,
        @DefaultValue("10000") int localMaxEntries,
        @DefaultValue("300s") Duration availabilityTtl,
        @DefaultValue("3600s") Duration catalogTtl,
        @DefaultValue("300s") Duration dashboardTtl,
        @DefaultValue("250ms") Duration ackTimeout,
        @DefaultValue("3s") Duration loadLease,
        @DefaultValue("7") int warmDays,
        @DefaultValue("4m") Duration warmInterval,
        @DefaultValue("true") boolean warmOnStart) {

    /** Tag versions must outlive every entry stamped with them (see RedisCacheLevel). */
    Duration tagTtl() {
        Duration longest = availabilityTtl;
        if (catalogTtl.compareTo(longest) > 0) {
            longest = catalogTtl;
        }
        if (dashboardTtl.compareTo(longest) > 0) {
            longest = dashboardTtl;
        }
        return longest.multipliedBy(2);
    }
}
