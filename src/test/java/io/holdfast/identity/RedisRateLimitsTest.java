package io.holdfast.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import io.holdfast.support.MutableClock;
import io.holdfast.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A rate limit's window in Redis, one script per request: so many requests from the first one on, the next refused
 * with the time left until the window ends, all of the budget back when it has ended. Windows are told by the
 * application's clock (moved here), as the SQL twin's Bucket4j buckets are; Redis's own expiry only clears a window
 * away a little after its end.
 */
class RedisRateLimitsTest {

    private static final RedisServer REDIS = RedisServer.start();
    private static LettuceConnectionFactory connections;
    private static final RateLimits.PerWindow THREE_IN_TEN_MINUTES = RateLimits.perWindow(3, Duration.ofMinutes(10));

    private final MutableClock clock = new MutableClock();
    private RedisRateLimits limits;

    @BeforeAll
    static void connect() {
        connections = REDIS.connections();
    }

    @AfterAll
    static void stop() {
        connections.destroy();
        REDIS.close();
    }

    @BeforeEach
    void pinClock() {
        clock.pin(Instant.parse("2026-12-03T08:00:00.250Z"));
        limits = new RedisRateLimits(new StringRedisTemplate(connections), clock);
    }

    @Test
    void theRequestAfterTheBudgetWaitsForTheEndOfTheWindowThatBeganWithTheFirst() {
        String bucket = "send-email:" + System.nanoTime();
        assertThat(limits.take(bucket, THREE_IN_TEN_MINUTES)).isZero();
        clock.advance(Duration.ofMinutes(4));
        assertThat(limits.take(bucket, THREE_IN_TEN_MINUTES)).isZero();
        assertThat(limits.take(bucket, THREE_IN_TEN_MINUTES)).isZero();
        clock.advance(Duration.ofMinutes(5));

        assertThat(limits.take(bucket, THREE_IN_TEN_MINUTES)).as("the fourth, a minute before the end")
                .isEqualTo(Duration.ofMinutes(1).toMillis());
        clock.advance(Duration.ofSeconds(59).plusMillis(999));
        assertThat(limits.take(bucket, THREE_IN_TEN_MINUTES)).as("a millisecond before the end").isEqualTo(1);

        clock.advance(Duration.ofMillis(1));
        for (int i = 1; i <= 3; i++) {
            assertThat(limits.take(bucket, THREE_IN_TEN_MINUTES)).as("request %d of the next window", i).isZero();
        }
        assertThat(limits.take(bucket, THREE_IN_TEN_MINUTES)).as("the next window began with its first request")
                .isEqualTo(Duration.ofMinutes(10).toMillis());
    }

    @Test
    void aRefusalTakesNothingAndOtherBucketsAreTheirOwn() {
        String bucket = "hold-requests:10.1.2.3:" + System.nanoTime();
        RateLimits.PerWindow one = RateLimits.perWindow(1, Duration.ofMinutes(1));
        assertThat(limits.take(bucket, one)).isZero();
        for (int i = 0; i < 5; i++) {
            assertThat(limits.take(bucket, one)).isEqualTo(60_000);
        }
        assertThat(limits.take(bucket + "-other", one)).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(limits.take(bucket, one)).as("refusals did not lengthen the window").isZero();
    }

    @Test
    void aWindowIsKeptInRedisUntilALittleAfterItsEnd() {
        String bucket = "verify-client:" + System.nanoTime();
        limits.take(bucket, THREE_IN_TEN_MINUTES);
        long ttl = Long.parseLong(REDIS.cli("PTTL", RedisRateLimits.key(bucket)).trim());
        long keep = Duration.ofMinutes(10).plus(RateLimits.KEEP_WHEN_FULL).toMillis();
        assertThat(ttl).isBetween(keep - 5_000, keep);
    }
}
