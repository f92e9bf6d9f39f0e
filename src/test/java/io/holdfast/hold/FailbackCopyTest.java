package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.holdfast.availability.Occupancy;
import io.holdfast.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** One hold's copy in a failback ({@link FailbackSync#copy}), against a real, private redis-server. */
class FailbackCopyTest {

    private static final RedisServer REDIS = RedisServer.start();
    private static final LettuceConnectionFactory CONNECTIONS = REDIS.connections();
    private static final RedisTemporaryStore STORE = new RedisTemporaryStore(new StringRedisTemplate(CONNECTIONS),
            Duration.ofMinutes(5), Duration.ofSeconds(2));

    @AfterAll
    static void stop() {
        CONNECTIONS.destroy();
        REDIS.close();
    }

    /**
     * A hold that lapsed after the pass listed it is not copied and is announced as expired, at the first attempt:
     * there is no rival to wait for. Before, the copier took its 50 attempts (a second) looking for one, then
     * announced the hold lost in the failback.
     */
    @Test
    void aHoldThatLapsedSinceTheListingIsAnnouncedExpiredNotLost() {
        List<Object> announced = new CopyOnWriteArrayList<>();
        FailbackSync failback = new FailbackSync(STORE, null, announced::add);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant start = now.plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
        HoldItem item = new HoldItem(4_201, 7, start, start.plus(Duration.ofMinutes(30)),
                new Occupancy(start, start.plus(Duration.ofMinutes(30))));
        SlotHold lapsed = new SlotHold(UUID.randomUUID(), "client-" + UUID.randomUUID(), "token", List.of(item),
                now.minus(Duration.ofMinutes(10)), now.minusMillis(1));

        boolean copied = failback.copy(new RedisTemporaryStore.Restoring(lapsed, "fingerprint", "", lapsed.createdAt()));

        assertThat(copied).isFalse();
        assertThat(announced).singleElement().isInstanceOfSatisfying(HoldLapsed.class, event -> {
            assertThat(event.holdId()).isEqualTo(lapsed.id());
            assertThat(event.reason()).isEqualTo(HoldLapsed.Reason.EXPIRED);
        });
        assertThat(STORE.findHold(lapsed.id())).isEmpty();
    }
}
