package io.holdfast.redis;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

/**
 * The redis module's two always-present beans, {@link RedisFirst} and {@link RedisMessages}, and, when a Redis is
 * configured, what keeps the mode true: fail-fast client options, the health probe that fails over and starts the
 * failback, keyspace expiry events and the start-up configuration check.
 */
@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

    @Bean
    RedisFirst redisFirst(Environment environment, ApplicationEventPublisher events, MeterRegistry metrics, Clock clock) {
        return RedisConfigured.in(environment) ? RedisFirst.withRedis(events, metrics, clock) : RedisFirst.withoutRedis();
    }

    @Bean(destroyMethod = "stop")
    RedisMessages redisMessages(Environment environment, StringRedisTemplate redis, RedisConnectionFactory connections,
            RedisFirst router, MeterRegistry metrics) {
        return RedisConfigured.in(environment) ? RedisMessages.withRedis(redis, connections, router, metrics)
                : RedisMessages.withoutRedis();
    }

    /** Redis first, never Redis only: wired when a Redis server is configured and REDIS_ENABLED is not false. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(RedisConfigured.class)
    static class WithRedis {

        @Bean
        LettuceClientOptionsBuilderCustomizer failFastRedisClient(
                @Value("${spring.data.redis.connect-timeout:1s}") Duration connectTimeout) {
            return builder -> FailFastRedis.apply(builder, connectTimeout);
        }

        @Bean
        ClientResourcesBuilderCustomizer reconnectWithinTheProbeInterval(RedisSettings settings) {
            return builder -> FailFastRedis.reconnectWithin(builder, settings.probeInterval());
        }

        @Bean(destroyMethod = "stop")
        KeyspaceExpiryEvents keyspaceExpiryEvents(RedisConnectionFactory connections, RedisMessages messages) {
            return new KeyspaceExpiryEvents(connections, messages);
        }

        /**
         * Checked after {@link KeyspaceExpiryEvents} (a parameter for that reason alone) has tried to turn expiry
         * events on, so the check reports what the server publishes now, not what it was started with.
         */
        @Bean
        RedisConfigCheck redisConfigCheck(RedisConnectionFactory connections, RedisFirst router,
                KeyspaceExpiryEvents expiryEventsEnabledFirst) {
            RedisConfigCheck check = new RedisConfigCheck(connections);
            check.checkAtStart();
            router.findingsFrom(check::findings);
            return check;
        }

        @Bean
        Failback failback(StringRedisTemplate redis, RedisFirst router, KeyspaceExpiryEvents expiryEvents,
                RedisSettings settings, MeterRegistry metrics) {
            return new Failback(new RedisLock(redis), settings.failbackLockLease(), router, expiryEvents::enableAgain,
                    metrics);
        }

        @Bean
        RedisHealthProbe redisHealthProbe(StringRedisTemplate redis, RedisFirst router, Failback failback) {
            return new RedisHealthProbe(redis, router, failback);
        }

        @Bean
        SchedulingConfigurer redisProbeSchedule(RedisHealthProbe probe, RedisSettings settings) {
            return tasks -> tasks.addFixedDelayTask(probe::probe, settings.probeInterval());
        }
    }
}
