package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import io.holdfast.support.Instance;
import io.holdfast.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A server starting on a Redis says at once, in its log, what in the Redis configuration can lose holds. */
@ExtendWith(OutputCaptureExtension.class)
class RedisConfigAtStartTest {

    @Test
    void warnsAtStartAboutTheSeedsSettingsAndTurnsOnExpiryEvents(CapturedOutput output) {
        try (RedisServer redis = RedisServer.start("--maxmemory-policy", "allkeys-lru");
                Instance server = start(redis)) {
            assertThat(server.port()).isPositive();
            assertThat(output.getOut()).containsPattern("WARN .*Redis configuration: maxmemory-policy is allkeys-lru: "
                    + ".*set maxmemory-policy noeviction.*unsafe for holds");
            assertThat(output.getOut()).containsPattern("WARN .*Redis configuration: persistence is off "
                    + "\\(appendonly no, save \"\"\\).*set appendonly yes");
            assertThat(output.getOut()).doesNotContain("Redis configuration: notify-keyspace-events");
            assertThat(redis.cli("CONFIG", "GET", "notify-keyspace-events")).contains("E").contains("x");
        }
    }

    @Test
    void staysQuietOnASafeConfiguration(CapturedOutput output) {
        try (RedisServer redis = RedisServer.start("--maxmemory-policy", "noeviction", "--appendonly", "yes");
                Instance server = start(redis)) {
            assertThat(server.port()).isPositive();
            assertThat(output.getOut()).contains("Redis configuration checked: no eviction of holds")
                    .doesNotContain("Redis configuration: ");
        }
    }

    private static Instance start(RedisServer redis) {
        return Instance.start("--spring.data.redis.url=" + redis.url(),
                "--spring.datasource.url=jdbc:h2:mem:config-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "--holdfast.cache.warm-on-start=false");
    }
}
