package io.holdfast.hold;

import java.time.Duration;
import io.holdfast.support.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The temporary-store contract against a three-node Redis Cluster on loopback, created with
 * {@code redis-cli --cluster create}: every script must keep its keys in one hash slot.
 */
class RedisClusterTemporaryStoreTest extends TemporaryStoreContract {

    private static final RedisCluster CLUSTER = RedisCluster.start();
    private static final LettuceConnectionFactory CONNECTIONS = connect();
    private static final RedisTemporaryStore STORE = new RedisTemporaryStore(new StringRedisTemplate(CONNECTIONS),
            Duration.ofMinutes(5), Duration.ofSeconds(2));

    private static LettuceConnectionFactory connect() {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisClusterConfiguration(CLUSTER.addresses()));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    @AfterAll
    static void stop() {
        CONNECTIONS.destroy();
        CLUSTER.close();
    }

    static {
        STORE.warmUp();
    }

    @Override
    protected TemporaryStore store() {
        return STORE;
    }
}
