package io.holdfast.identity;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.holdfast.redis.RedisFirst;
import org.springframework.stereotype.Component;

/**
 * The abuse limits, as Bucket4j token buckets: Redis while it serves (so every instance counts against the same
 * budget), SQL otherwise. A limit's budget is not copied between the stores when the mode changes; the first window
 * after a switch starts afresh.
 */
@Component
class RateLimits {

    enum Limit {
        SEND_PER_EMAIL("send-email-network", "Too many codes were sent to this address from your network address"),
        SEND_PER_EMAIL_TOTAL("send-email", "Too many codes were sent to this address"),
        SEND_PER_CLIENT("send-client", "Too many codes were requested from your network address"),
        VERIFY_PER_CLIENT("verify-client", "Too many codes were tried from your network address");

        private final String wire;
        private final String refusal;

        Limit(String wire, String refusal) {
            this.wire = wire;
            this.refusal = refusal;
        }
    }

    /** A bucket stays this long after it is full again, then it may go (Redis TTL, SQL sweeper). */
    static final Duration KEEP_WHEN_FULL = Duration.ofSeconds(10);

    private final Map<Limit, BucketConfiguration> configurations = new EnumMap<>(Limit.class);
    private final SqlBuckets sql;
    private final RedisBuckets redis;
    private final RedisFirst redisFirst;

    RateLimits(IdentitySettings settings, SqlBuckets sql, RedisBuckets redis, RedisFirst redisFirst) {
        IdentitySettings.RateLimits limits = settings.rateLimits();
        configurations.put(Limit.SEND_PER_EMAIL, perWindow(limits.sendsPerEmail(), limits.window()));
        configurations.put(Limit.SEND_PER_EMAIL_TOTAL, perWindow(limits.sendsPerEmailTotal(), limits.window()));
        configurations.put(Limit.SEND_PER_CLIENT, perWindow(limits.sendsPerClient(), limits.window()));
        configurations.put(Limit.VERIFY_PER_CLIENT, perWindow(limits.verifiesPerClient(), limits.window()));
        this.sql = sql;
        this.redis = redis;
        this.redisFirst = redisFirst;
    }

    /** Takes one request from the budget of {@code id} under {@code limit}; 429 with Retry-After when it is spent. */
    void take(Limit limit, String id) {
        take(limit.wire, configurations.get(limit), id, limit.refusal);
    }

    /**
     * Takes one request from the budget {@code name} of {@code id} (another module's limit, {@link RequestBudgets});
     * 429 with Retry-After and {@code refusal} when it is spent.
     */
    void take(String name, BucketConfiguration configuration, String id, String refusal) {
        String bucket = name + ":" + boundedId(id);
        ConsumptionProbe probe = !redisFirst.configured() ? onSql(bucket, configuration)
                : redisFirst.call(() -> redis.take(bucket, configuration), () -> onSql(bucket, configuration));
        if (!probe.isConsumed()) {
            Duration wait = Duration.ofNanos(probe.getNanosToWaitForRefill());
            throw IdentityRefused.rateLimited(refusal + "; try again in " + Math.max(1, wait.toSeconds()) + " s.",
                    wait);
        }
    }

    private ConsumptionProbe onSql(String bucket, BucketConfiguration configuration) {
        return sql.builder().build(bucket, () -> configuration).tryConsumeAndReturnRemaining(1);
    }

    /** The seed's semantics: so many per window, all of it back when the window that began with the first is over. */
    static BucketConfiguration perWindow(int requests, Duration window) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(requests).refillIntervally(requests, window).build())
                .build();
    }

    /** Client addresses come from a header a proxy may set; a long one is hashed rather than used as a key. */
    private static String boundedId(String id) {
        if (id.length() <= 100) {
            return id;
        }
        try {
            return "h-" + HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    static ExpirationAfterWriteStrategy expiry() {
        return ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_WHEN_FULL);
    }

    /** Bucket4j counts time on the application's clock (which the tests can move). */
    static TimeMeter timeMeter(Clock clock) {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }
}
