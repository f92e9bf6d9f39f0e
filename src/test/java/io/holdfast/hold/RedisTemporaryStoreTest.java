package io.holdfast.hold;

import io.holdfast.availability.Selection;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.holdfast.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The temporary-store contract against a real, private redis-server; time passes for real (Redis TTLs). */
class RedisTemporaryStoreTest extends TemporaryStoreContract {

    private static final RedisServer REDIS = RedisServer.start();
    private static final LettuceConnectionFactory CONNECTIONS = connect();
    private static final StringRedisTemplate TEMPLATE = new StringRedisTemplate(CONNECTIONS);
    private static final RedisTemporaryStore STORE = new RedisTemporaryStore(TEMPLATE, Duration.ofMinutes(5),
            Duration.ofSeconds(2));

    private static LettuceConnectionFactory connect() {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", REDIS.port()));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    @AfterAll
    static void stop() {
        CONNECTIONS.destroy();
        REDIS.close();
    }

    static {
        STORE.warmUp();
    }

    @Override
    protected TemporaryStore store() {
        return STORE;
    }

    @Test
    void everyKeyItWritesHasATtl() {
        hold(newClient(), List.of(item(newStaff(), "10:00", 30)), LONG_TTL, LIMIT);
        store().select(new Selection(newStaff(), java.time.LocalDate.now(), "10:00", newClient()), SELECTION_TTL);
        List<String> keys = REDIS.cli("--scan", "--pattern", "hf:*").lines().filter(key -> !key.isBlank()).toList();
        assertThat(keys).isNotEmpty();
        for (String key : keys) {
            // -1 is a key without a TTL; -2 a key that expired between the scan and now (other tests' short TTLs)
            assertThat(Long.parseLong(REDIS.cli("PTTL", key))).as("TTL of %s", key).isNotEqualTo(-1L);
        }
    }

    @Test
    void aWriteThatReachesRedisAfterItsDeadlineDoesNothing() {
        RedisTemporaryStore impatient = new RedisTemporaryStore(TEMPLATE, Duration.ofMinutes(5), Duration.ofMillis(-5_000));
        long staff = newStaff();
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                impatient.hold(new LeaseRequest(java.util.UUID.randomUUID(), newClient(), "t",
                        java.time.Instant.now(), List.of(item(staff, "10:00", 30))), LONG_TTL, LIMIT))
                .isInstanceOf(RedisTemporaryStore.TooLate.class);
        assertThat(heldGranules(staff)).isEmpty();
    }

    /**
     * On a standalone server a hold is one script (one round trip), across staff members too; Redis
     * Cluster keeps the three steps (RedisClusterTemporaryStoreTest runs the same contract there).
     */
    @Test
    void aHoldIsOneRoundTripOnAStandaloneServer() {
        String client = newClient();
        hold(client, List.of(item(newStaff(), "09:00", 30)), LONG_TTL, LIMIT); // the script is loaded now
        java.util.Map<String, Long> before = commandsServed();
        HoldOutcome outcome = hold(client, List.of(item(newStaff(), "10:00", 30), item(newStaff(), "11:00", 60)),
                LONG_TTL, LIMIT);
        java.util.Map<String, Long> sent = commandsServed();
        before.forEach((command, calls) -> sent.merge(command, -calls, Long::sum));
        sent.values().removeIf(calls -> calls == 0);
        assertThat(outcome.kind()).isEqualTo(HoldOutcome.Kind.CREATED);
        // Redis counts the commands a script calls as well, so the round trips are the scripts run: one. (The
        // three steps ran three here: the reservation, and one lease for each of the two staff members.)
        assertThat(sent.getOrDefault("evalsha", 0L) + sent.getOrDefault("eval", 0L)).as("scripts run, in %s", sent)
                .isEqualTo(1L);
        assertThat(store().findHold(outcome.hold().id())).isPresent();
    }

    /** Calls of each command the server has served, but INFO itself (which this test sends to count). */
    private static java.util.Map<String, Long> commandsServed() {
        java.util.Map<String, Long> calls = new java.util.TreeMap<>();
        REDIS.cli("INFO", "commandstats").lines()
                .filter(line -> line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:"))
                .forEach(line -> calls.put(line.substring("cmdstat_".length(), line.indexOf(':')),
                        Long.parseLong(line.replaceAll(".*:calls=(\\d+),.*", "$1"))));
        return calls;
    }
}
