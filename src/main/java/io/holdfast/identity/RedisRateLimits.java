package io.holdfast.identity;

import java.time.Clock;
import java.util.List;

import io.holdfast.redis.RedisScripts;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The rate limits' windows in Redis ({@code hf:limit:<limit>:<id>}, a hash of the window's end and the requests
 * taken), one script per request ({@code rate-take.lua}): one round trip, where Bucket4j's Lettuce integration
 * needs two (a GET, then a compare-and-swap EVAL computed in the JVM; issue #13). Commands go over the application's
 * shared connection, so they follow the same fail-fast options, Sentinel or Cluster set-up as the temporary store,
 * and its failures are Spring's data-access exceptions, which make the router answer from SQL ({@link SqlBuckets}).
 *
 * <p>The key is not Bucket4j's {@code hf:rate:...}: an instance of the version before reads that key as Bucket4j's
 * state, and a hash there would fail its every limit over to SQL. During a rolling upgrade the two versions count
 * in separate keys, so a client may spend a window's budget once on each.
 */
@Component
class RedisRateLimits {

    private static final RedisScript<Long> TAKE = RedisScripts.load("rate-take", Long.class);

    private final StringRedisTemplate redis;
    private final Clock clock;

    RedisRateLimits(StringRedisTemplate redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    static String key(String bucket) {
        return "hf:limit:" + bucket;
    }

    /** Takes one request from {@code bucket}'s window; 0 when taken, else the milliseconds until the window ends. */
    long take(String bucket, RateLimits.PerWindow limit) {
        Long wait = redis.execute(TAKE, List.of(key(bucket)), String.valueOf(clock.millis()),
                String.valueOf(limit.window().toMillis()), String.valueOf(limit.requests()),
                String.valueOf(RateLimits.KEEP_WHEN_FULL.toMillis()));
        return wait == null ? 0 : wait;
    }
}
