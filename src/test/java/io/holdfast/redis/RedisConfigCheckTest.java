package io.holdfast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.holdfast.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The start-up configuration check against real redis-server processes started with the settings in question
 * (RedisServer starts them with persistence off unless told otherwise).
 */
class RedisConfigCheckTest {

    @Test
    void warnsThatAllkeysLruCanEvictHoldsAndThatPersistenceIsOff() {
        List<String> findings = findingsOf("--maxmemory-policy", "allkeys-lru");

        assertThat(findings).anySatisfy(finding -> assertThat(finding)
                .startsWith("maxmemory-policy is allkeys-lru").contains("noeviction").contains("unsafe for holds"));
        assertThat(findings).anySatisfy(finding -> assertThat(finding)
                .startsWith("persistence is off").contains("appendonly yes"));
        assertThat(findings).anySatisfy(finding -> assertThat(finding)
                .startsWith("notify-keyspace-events is ''").contains("notify-keyspace-events Ex"));
    }

    @Test
    void warnsThatVolatilePoliciesCanEvictHoldsBecauseEveryHoldKeyHasATtl() {
        List<String> findings = findingsOf("--maxmemory-policy", "volatile-ttl", "--appendonly", "yes",
                "--notify-keyspace-events", "Ex");

        assertThat(findings).singleElement().satisfies(finding -> assertThat(finding)
                .startsWith("maxmemory-policy is volatile-ttl").contains("every key Holdfast writes has a TTL")
                .contains("noeviction"));
    }

    @Test
    void findsNothingWithNoevictionAppendonlyAndExpiryEvents() {
        assertThat(findingsOf("--maxmemory-policy", "noeviction", "--appendonly", "yes",
                "--notify-keyspace-events", "KEA")).isEmpty();
    }

    @Test
    void snapshotsAloneCountAsPersistence() {
        assertThat(findingsOf("--maxmemory-policy", "noeviction", "--save", "900 1", "--notify-keyspace-events", "Ex"))
                .isEmpty();
    }

    @Test
    void saysItCouldNotCheckWhenConfigIsRenamed() {
        List<String> findings = findingsOf("--rename-command", "CONFIG", "config-7f3a9c");

        assertThat(findings).singleElement().satisfies(finding -> assertThat(finding)
                .startsWith("could not read the Redis configuration with CONFIG GET")
                .contains("CONFIG may be disabled or renamed").contains("noeviction"));
    }

    @Test
    void saysItCouldNotReachADeadServer() {
        RedisServer server = RedisServer.start();
        server.kill();
        LettuceConnectionFactory connections = server.connections();
        try {
            assertThat(new RedisConfigCheck(connections).findings()).singleElement()
                    .satisfies(finding -> assertThat(finding).startsWith("could not reach Redis"));
        } finally {
            connections.destroy();
        }
    }

    private static List<String> findingsOf(String... serverArgs) {
        try (RedisServer server = RedisServer.start(serverArgs)) {
            LettuceConnectionFactory connections = server.connections();
            try {
                return new RedisConfigCheck(connections).findings();
            } finally {
                connections.destroy();
            }
        }
    }

}
