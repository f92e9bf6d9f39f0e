package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.holdfast.support.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
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

    /** A hold's keys lie in different hash slots here, so the store takes its steps rather than one script. */
    @Test
    void aHoldTakesItsStepsOnACluster() {
        assertThat(STORE.holdsInOneScript()).isFalse();
        HoldOutcome outcome = hold(newClient(), List.of(item(newStaff(), "10:00", 30), item(newStaff(), "11:00", 30)),
                LONG_TTL, LIMIT);
        assertThat(outcome.kind()).isEqualTo(HoldOutcome.Kind.CREATED);
        assertThat(store().findHold(outcome.hold().id())).isPresent();
    }
}
