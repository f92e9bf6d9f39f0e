package io.holdfast.hold;

import java.time.Clock;
import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Conditional;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Redis first, never Redis only: wired when a Redis server is configured and REDIS_ENABLED is not false. */
@Configuration(proxyBeanMethods = false)
@Conditional(RedisConfigured.class)
class RedisStoreConfiguration {

    @Bean
    LettuceClientOptionsBuilderCustomizer failFastRedisClient(
            @Value("${spring.data.redis.connect-timeout:1s}") Duration connectTimeout) {
        return builder -> FailFastRedis.apply(builder, connectTimeout);
    }

    @Bean
    RedisTemporaryStore redisTemporaryStore(StringRedisTemplate redis, HoldSettings settings,
            @Value("${spring.data.redis.timeout:500ms}") Duration commandTimeout) {
        RedisTemporaryStore store = new RedisTemporaryStore(redis, settings.recordGrace(), commandTimeout);
        store.warmUp();
        return store;
    }

    /**
     * The storage mode as a circuit breaker: forced open on the first failure, closed only by the failback. The
     * router forces it open itself ({@code failedOver}), so the breaker never opens on its own: failures are
     * ignored by its state machine. Otherwise its own CLOSED-to-OPEN transition, racing with the forced one under
     * concurrent failures, could build an OPEN state on the forced state's empty window, whose next recorded call
     * divides by zero (a 500 in the middle of a failover).
     */
    @Bean
    CircuitBreaker redisCircuitBreaker() {
        return CircuitBreaker.of("redis", CircuitBreakerConfig.custom()
                .slidingWindowSize(1)
                .minimumNumberOfCalls(1)
                .failureRateThreshold(100)
                .ignoreException(failure -> true)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
    }

    @Bean
    @Primary
    FailoverTemporaryStore temporaryStore(RedisTemporaryStore redis, SqlTemporaryStore sql, CircuitBreaker breaker,
            ApplicationEventPublisher events, MeterRegistry metrics, Clock clock) {
        return new FailoverTemporaryStore(redis, sql, breaker, events, metrics, clock);
    }

    @Bean
    FailbackSync failbackSync(RedisTemporaryStore redis, SqlTemporaryStore sql, FailoverTemporaryStore router,
            ApplicationEventPublisher events, MeterRegistry metrics, KeyspaceExpiryEvents expiryEvents) {
        return new FailbackSync(redis, sql, router, events, metrics, expiryEvents::enableAgain);
    }

    @Bean(destroyMethod = "stop")
    KeyspaceExpiryEvents keyspaceExpiryEvents(org.springframework.data.redis.connection.RedisConnectionFactory connections,
            HoldLapseWatcher watcher, org.springframework.scheduling.TaskScheduler scheduler) {
        return new KeyspaceExpiryEvents(connections, watcher, scheduler);
    }

    /**
     * Checked after {@link KeyspaceExpiryEvents} (a parameter for that reason alone) has tried to turn expiry
     * events on, so the check reports what the server publishes now, not what it was started with.
     */
    @Bean
    RedisConfigCheck redisConfigCheck(org.springframework.data.redis.connection.RedisConnectionFactory connections,
            KeyspaceExpiryEvents expiryEventsEnabledFirst) {
        RedisConfigCheck check = new RedisConfigCheck(connections);
        check.checkAtStart();
        return check;
    }

    @Bean
    RedisHealthProbe redisHealthProbe(RedisTemporaryStore redis, FailoverTemporaryStore router, FailbackSync failback) {
        return new RedisHealthProbe(redis, router, failback);
    }
}
