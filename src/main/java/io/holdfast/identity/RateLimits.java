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
 * The abuse limits, each so many requests per window, the window starting with the first request: Redis while it
 * serves (so every instance counts against the same budget; {@link RedisRateLimits}, one script per request), SQL
 * otherwise (Bucket4j token buckets that refill the whole budget at once when the window is over,
 * {@link SqlBuckets}). A limit's budget is not copied between the stores when the mode changes; the first window
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

    /** A window stays this long after it ended (its bucket is full again), then it may go (Redis TTL, SQL sweeper). */
    static final Duration KEEP_WHEN_FULL = Duration.ofSeconds(10);

    /** A limit: {@code requests} per {@code window}; {@code sqlBucket} is the same as the SQL twin's configuration. */
    record PerWindow(int requests, Duration window, BucketConfiguration sqlBucket) {
    }

    private final Map<Limit, PerWindow> configurations = new EnumMap<>(Limit.class);
    private final SqlBuckets sql;
    private final RedisRateLimits redis;
    private final RedisFirst redisFirst;

    RateLimits(IdentitySettings settings, SqlBuckets sql, RedisRateLimits redis, RedisFirst redisFirst) {
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
    void take(String name, PerWindow limit, String id, String refusal) {
        String bucket = name + ":" + boundedId(id);
        Duration wait = !redisFirst.configured() ? onSql(bucket, limit)
                : redisFirst.call(() -> Duration.ofMillis(redis.take(bucket, limit)), () -> onSql(bucket, limit));
        if (!wait.isZero()) {
            throw IdentityRefused.rateLimited(refusal + "; try again in " + Math.max(1, wait.toSeconds()) + " s.",
                    wait);
        }
    }

    /** Zero when the request was taken, else how long until the bucket's budget is back. */
    private Duration onSql(String bucket, PerWindow limit) {
        ConsumptionProbe probe = sql.builder().build(bucket, limit::sqlBucket).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill()));
    }

    /**
     * The seed's semantics: so many per window, all of it back when the window that began with the first is over.
     * In SQL a Bucket4j bucket of that many tokens, refilled all at once a window after it was made (and a window
     * after each refill while the bucket is kept); in Redis a window that ends a window after its first request.
     */
    static PerWindow perWindow(int requests, Duration window) {
        return new PerWindow(requests, window, BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(requests).refillIntervally(requests, window).build())
                .build());
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
