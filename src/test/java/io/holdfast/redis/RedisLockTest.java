package io.holdfast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.holdfast.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The failback's lock, against a real, private redis-server. */
class RedisLockTest {

    @Test
    void theFailbackLockHasOneOwnerAtATimeAndOnlyItsOwnerReleasesIt() {
        onAPrivateRedis((redis, lock) -> {
            assertThat(lock.lock("test-lock", "first", Duration.ofSeconds(30))).isTrue();
            assertThat(lock.lock("test-lock", "second", Duration.ofSeconds(30))).isFalse();
            lock.unlock("test-lock", "second");
            assertThat(lock.lock("test-lock", "third", Duration.ofSeconds(30))).isFalse();
            lock.unlock("test-lock", "first");
            assertThat(lock.lock("test-lock", "third", Duration.ofSeconds(30))).isTrue();
        });
    }

    @Test
    void onlyTheOwnerRenewsTheLease() {
        onAPrivateRedis((redis, lock) -> {
            assertThat(lock.lock("test-lock", "first", Duration.ofSeconds(2))).isTrue();
            assertThat(Long.parseLong(redis.cli("PTTL", "hf:lock:test-lock"))).isLessThanOrEqualTo(2_000);
            assertThat(lock.renew("test-lock", "second", Duration.ofSeconds(60))).isFalse();
            assertThat(Long.parseLong(redis.cli("PTTL", "hf:lock:test-lock"))).isLessThanOrEqualTo(2_000);
            assertThat(lock.renew("test-lock", "first", Duration.ofSeconds(60))).isTrue();
            assertThat(Long.parseLong(redis.cli("PTTL", "hf:lock:test-lock"))).isGreaterThan(2_000);
            assertThat(lock.unlock("test-lock", "first")).isTrue();
            assertThat(lock.renew("test-lock", "first", Duration.ofSeconds(60))).as("a released lock stays released")
                    .isFalse();
            assertThat(redis.cli("EXISTS", "hf:lock:test-lock")).isEqualTo("0");
        });
    }

    /** Runs the check with a lock on a fresh private redis-server, closed afterwards. */
    private static void onAPrivateRedis(java.util.function.BiConsumer<RedisServer, RedisLock> check) {
        try (RedisServer redis = RedisServer.start()) {
            LettuceConnectionFactory connections = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
            connections.afterPropertiesSet();
            connections.start();
            try {
                check.accept(redis, new RedisLock(new StringRedisTemplate(connections)));
            } finally {
                connections.destroy();
            }
        }
    }
}
