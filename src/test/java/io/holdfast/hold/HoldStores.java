package io.holdfast.hold;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** The hold stores as a server builds them, for the benchmarks in this package. */
final class HoldStores {

    private HoldStores() {
    }

    static SqlTemporaryStore sql(DataSource dataSource) {
        return new SqlTemporaryStore(JdbcClient.create(dataSource), new DataSourceTransactionManager(dataSource),
                Clock.systemUTC(), Duration.ofHours(1));
    }

    static RedisTemporaryStore redis(LettuceConnectionFactory connections) {
        return redis(connections, Duration.ofMillis(500));
    }

    static RedisTemporaryStore redis(LettuceConnectionFactory connections, Duration commandTimeout) {
        return redis(connections, commandTimeout, RedisTemporaryStore.Forms.COMPACT);
    }

    static RedisTemporaryStore redis(LettuceConnectionFactory connections, Duration commandTimeout,
            RedisTemporaryStore.Forms forms) {
        RedisTemporaryStore store = new RedisTemporaryStore(new StringRedisTemplate(connections), Duration.ofHours(1),
                commandTimeout, Duration.ofHours(1), forms);
        store.warmUp();
        return store;
    }
}
