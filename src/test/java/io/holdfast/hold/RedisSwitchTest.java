package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.redis.StorageMode;
import io.holdfast.HoldfastApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Which temporary store a server starts with: none configured means SQL (the embedded default), a Redis URL (Spring's
 * or the seeds' REDIS_URL) means Redis with SQL fallback, and REDIS_ENABLED=false forces SQL (the rollback plan).
 */
class RedisSwitchTest {

    private static final String[] COMMON = {"--server.port=0", "--holdfast.demo-data=false",
            "--spring.datasource.url=jdbc:h2:mem:switch-${random.uuid};DB_CLOSE_DELAY=-1",
            // at start the live relay subscribes within the command timeout; a loaded machine can miss 500 ms
            "--spring.data.redis.timeout=2s"};

    @Test
    void withoutAnyRedisSettingTheServerUsesSql() {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.getBean(TemporaryStore.class)).isInstanceOf(SqlTemporaryStore.class);
            assertThat(context.getBeansOfType(FailoverTemporaryStore.class)).isEmpty();
        }
    }

    @Test
    void theSeedsRedisUrlTurnsRedisOn() {
        System.setProperty("REDIS_URL", "redis://127.0.0.1:6379");
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.getBean(TemporaryStore.class)).isInstanceOf(FailoverTemporaryStore.class);
            assertThat(context.getEnvironment().getProperty("spring.data.redis.url")).isEqualTo("redis://127.0.0.1:6379");
        } finally {
            System.clearProperty("REDIS_URL");
        }
    }

    @Test
    void redisEnabledFalseForcesSqlEvenWithARedisUrl() {
        System.setProperty("REDIS_ENABLED", "false");
        try (ConfigurableApplicationContext context = start("--spring.data.redis.url=redis://127.0.0.1:6379")) {
            assertThat(context.getBean(TemporaryStore.class)).isInstanceOf(SqlTemporaryStore.class);
            assertThat(context.getBean(TemporaryStore.class).mode()).isEqualTo(StorageMode.SQL);
        } finally {
            System.clearProperty("REDIS_ENABLED");
        }
    }

    private static ConfigurableApplicationContext start(String... extra) {
        String[] args = new String[COMMON.length + extra.length];
        System.arraycopy(COMMON, 0, args, 0, COMMON.length);
        System.arraycopy(extra, 0, args, COMMON.length, extra.length);
        return new SpringApplicationBuilder(HoldfastApplication.class).run(args);
    }
}
