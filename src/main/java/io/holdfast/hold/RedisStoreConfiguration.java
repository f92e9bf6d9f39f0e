package io.holdfast.hold;

import java.time.Duration;

import io.holdfast.redis.RedisConfigured;
import io.holdfast.redis.RedisFirst;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Holds in Redis first, never Redis only: wired when a Redis server is configured and REDIS_ENABLED is not false. */
@Configuration(proxyBeanMethods = false)
@Conditional(RedisConfigured.class)
class RedisStoreConfiguration {

    @Bean
    RedisTemporaryStore redisTemporaryStore(StringRedisTemplate redis, HoldSettings settings, RedisFirst router,
            @Value("${spring.data.redis.timeout:500ms}") Duration commandTimeout) {
        RedisTemporaryStore store = new RedisTemporaryStore(redis, settings.recordGrace(), commandTimeout,
                settings.tokenLife(), settings.writeEarlierRedisForms() ? RedisTemporaryStore.Forms.EARLIER
                        : RedisTemporaryStore.Forms.COMPACT);
        if (settings.writeEarlierRedisForms()) {
            org.slf4j.LoggerFactory.getLogger(RedisStoreConfiguration.class).info("Holds are written into Redis in "
                    + "the earlier forms (holdfast.hold.write-earlier-redis-forms), which instances of the version "
                    + "before compact hold records read; turn it off once every instance runs this version");
        }
        store.warmUp();
        router.afterEachGoodProbe(store::calibrateClock);
        return store;
    }

    @Bean
    @Primary
    FailoverTemporaryStore temporaryStore(RedisTemporaryStore redis, SqlTemporaryStore sql, RedisFirst router) {
        return new FailoverTemporaryStore(redis, sql, router);
    }

    @Bean
    FailbackSync failbackSync(RedisTemporaryStore redis, SqlTemporaryStore sql, RedisFirst router,
            ApplicationEventPublisher events) {
        FailbackSync failback = new FailbackSync(redis, sql, events);
        router.whenFailingBack(failback);
        return failback;
    }
}
