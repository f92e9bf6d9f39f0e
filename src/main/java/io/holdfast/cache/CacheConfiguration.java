package io.holdfast.cache;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.RedisMessages;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
@EnableCaching
class CacheConfiguration {

    @Bean
    CacheKeyspace cacheKeyspace(JdbcClient jdbc) {
        return new CacheKeyspace(namespace(jdbc));
    }

    @Bean
    RedisCacheGate redisCacheGate(RedisFirst router) {
        return new RedisCacheGate(router);
    }

    @Bean
    TwoLevelCacheManager cacheManager(List<CachedValue> declared, CacheKeyspace keyspace, RedisCacheLevel redis,
            RedisCacheGate gate, CacheSettings settings, MeterRegistry metrics) {
        return new TwoLevelCacheManager(declared, keyspace, redis, gate, settings, metrics);
    }

    @Bean
    CacheInvalidation cacheInvalidation(CacheKeyspace keyspace, TwoLevelCacheManager caches, RedisCacheLevel redis,
            RedisCacheGate gate, CacheSettings settings, MeterRegistry metrics) {
        return new CacheInvalidation(keyspace, caches, redis, gate, settings, metrics);
    }

    @Bean
    InvalidationSubscriber invalidationSubscriber(RedisMessages messages, CacheInvalidation invalidation,
            CacheKeyspace keyspace) {
        return new InvalidationSubscriber(messages, invalidation, keyspace);
    }

    @Bean
    CacheWarming cacheWarming(List<CacheWarmer> warmers, TwoLevelCacheManager caches, CacheSettings settings) {
        return new CacheWarming(warmers, caches, settings);
    }

    @Bean
    SchedulingConfigurer cacheWarmingSchedule(CacheWarming warming, CacheSettings settings) {
        return tasks -> tasks.addFixedDelayTask(
                new FixedDelayTask(warming::warmOnSchedule, settings.warmInterval(), settings.warmInterval()));
    }

    @Bean
    CacheAdministration cacheAdministration(TwoLevelCacheManager caches, RedisCacheLevel redis, RedisCacheGate gate,
            CacheKeyspace keyspace, CacheInvalidation invalidation, CacheWarming warming, CacheSettings settings,
            MeterRegistry metrics) {
        return new CacheAdministration(caches, redis, gate, keyspace, invalidation, warming, settings, metrics);
    }

    /**
     * One namespace per database, shared by its instances (like the hold-token key): a Redis shared by two
     * deployments, or by test runs on different databases, never mixes their entries.
     */
    private static String namespace(JdbcClient jdbc) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<String> existing = jdbc.sql("SELECT secret FROM server_secret WHERE name = 'cache-namespace'")
                    .query(String.class).optional();
            if (existing.isPresent()) {
                return existing.get();
            }
            byte[] random = new byte[5];
            new SecureRandom().nextBytes(random);
            try {
                jdbc.sql("INSERT INTO server_secret (name, secret) VALUES ('cache-namespace', ?)")
                        .param(HexFormat.of().formatHex(random)).update();
            } catch (DuplicateKeyException raced) {
                continue; // another instance created it first: read theirs
            }
        }
        return jdbc.sql("SELECT secret FROM server_secret WHERE name = 'cache-namespace'").query(String.class).single();
    }
}
