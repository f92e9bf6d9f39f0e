package io.holdfast.redis;

import java.time.Clock;
import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * For tests and benchmarks of other modules that build their stores by hand: the redis module's mode, failback and
 * client options, which a running server wires itself.
 */
public final class RedisFirstSupport {

    private RedisFirstSupport() {
    }

    /** A mode with a configured Redis (Redis until the first failure). */
    public static RedisFirst withRedis(ApplicationEventPublisher events) {
        return RedisFirst.withRedis(events, new SimpleMeterRegistry(), Clock.systemUTC());
    }

    public static void failOver(RedisFirst router, String reason) {
        router.failedOver(reason);
    }

    public static void failBack(RedisFirst router, String reason) {
        router.failedBack(reason);
    }

    /** Runs a whole failback, as the health probe would: every registered step, the gate, the switch. */
    public static boolean syncAndSwitch(RedisFirst router, StringRedisTemplate redis) {
        return new Failback(new RedisLock(redis), Duration.ofSeconds(5), router, () -> { }, new SimpleMeterRegistry())
                .syncAndSwitch();
    }

    /** The server's fail-fast Lettuce options. */
    public static ClientOptions.Builder failFast(ClientOptions.Builder builder, Duration connectTimeout) {
        return FailFastRedis.apply(builder, connectTimeout);
    }
}
