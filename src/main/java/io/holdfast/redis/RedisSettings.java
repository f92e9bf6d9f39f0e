package io.holdfast.redis;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code holdfast.redis.*}. The connection itself is Spring's ({@code spring.data.redis.*}, or the seeds'
 * {@code REDIS_URL}, see {@link RedisEnvironment}).
 *
 * @param enabled       {@code false} forces SQL mode even when a Redis is configured (the seeds' rollback plan;
 *                      also {@code REDIS_ENABLED}); unset follows the configuration. Read by {@link RedisConfigured}
 *                      before beans exist, so this field documents the setting and is not read itself.
 * @param probeInterval     how often the health probe writes and reads back its key (5 s TTL)
 * @param failbackLockLease lease of the failback's lock, renewed every third of it while a failback runs: a lock left
 *                          by an instance that died or could not release it lapses after this; keep it at several
 *                          times the Redis command timeout, or a renewal slowed by a busy Redis stops the failback
 */
@ConfigurationProperties("holdfast.redis")
record RedisSettings(Boolean enabled, @DefaultValue("1s") Duration probeInterval,
        @DefaultValue("5s") Duration failbackLockLease) {
}
