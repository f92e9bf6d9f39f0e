package io.holdfast.identity;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.RedisApi;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Bucket4j's buckets in Redis ({@code hf:rate:<limit>:<id>}), through its Lettuce integration (compare-and-swap
 * scripts). Commands go over the application's shared Lettuce connection, so they follow the same fail-fast
 * options, Sentinel or Cluster set-up as the temporary store; Bucket4j's own failures are turned into Spring's
 * data-access exceptions, which make the router answer from SQL.
 */
@org.springframework.stereotype.Component
class RedisBuckets {

    private final ProxyManager<byte[]> buckets;

    @org.springframework.beans.factory.annotation.Autowired
    RedisBuckets(StringRedisTemplate redis, java.time.Clock clock,
            @org.springframework.beans.factory.annotation.Value("${spring.data.redis.timeout:500ms}") Duration commandTimeout) {
        this(redis, RateLimits.timeMeter(clock), commandTimeout, RateLimits.expiry());
    }

    RedisBuckets(StringRedisTemplate redis, TimeMeter clock, Duration commandTimeout,
            ExpirationAfterWriteStrategy expiry) {
        RedisApi<byte[]> api = new SharedConnectionApi<>(redis);
        this.buckets = new Bucket4jLettuce.LettuceBasedProxyManagerBuilder<>(api)
                .clientClock(clock)
                .requestTimeout(commandTimeout)
                .expirationAfterWrite(expiry)
                .build();
    }

    static String key(String bucket) {
        return "hf:rate:" + bucket;
    }

    ConsumptionProbe take(String bucket, BucketConfiguration configuration) {
        try {
            return buckets.builder().build(key(bucket).getBytes(StandardCharsets.UTF_8), () -> configuration)
                    .tryConsumeAndReturnRemaining(1);
        } catch (io.github.bucket4j.TimeoutException late) {
            throw new QueryTimeoutException("Redis did not answer the rate limit in time", late);
        } catch (BucketExceptions.BucketExecutionException failed) {
            throw new RedisSystemException("Redis rate limit failed", failed);
        }
    }

    /**
     * Bucket4j's Redis access on the application's shared connection. Generic in the key type on purpose: Bucket4j
     * passes its keys in an {@code Object[]} (a generic array), which a {@code byte[][]} parameter could not take.
     */
    private static final class SharedConnectionApi<K> implements RedisApi<K> {

        private final StringRedisTemplate redis;

        SharedConnectionApi(StringRedisTemplate redis) {
            this.redis = redis;
        }

        @Override
        public <V> RedisFuture<V> eval(String script, ScriptOutputType type, K[] keys, byte[][] params) {
            byte[][] raw = new byte[keys.length][];
            for (int i = 0; i < keys.length; i++) {
                raw[i] = (byte[]) keys[i];
            }
            return onConnection(redis, commands -> commands.eval(script, type, raw, params));
        }

        @Override
        public RedisFuture<byte[]> get(K key) {
            return onConnection(redis, commands -> commands.get((byte[]) key));
        }

        @Override
        public RedisFuture<?> delete(K key) {
            return onConnection(redis, commands -> commands.del((byte[]) key));
        }
    }

    private static <T> T onConnection(StringRedisTemplate redis,
            Function<RedisClusterAsyncCommands<byte[], byte[]>, T> call) {
        return redis.execute((RedisCallback<T>) connection -> {
            @SuppressWarnings("unchecked")
            RedisClusterAsyncCommands<byte[], byte[]> commands =
                    (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
            return call.apply(commands);
        });
    }
}
