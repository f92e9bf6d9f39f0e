package io.holdfast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.holdfast.support.Fixtures;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * The resilience drill's bug on a whole server: another instance died (or lost its Redis node) while it held the
 * failback's lock, and its key is still in Redis. This server, on SQL meanwhile, fails back as soon as that lock
 * lapses (within the default lease, seconds), never while it is held, and copies the hold made during the outage.
 * Its own lock is taken with that short lease too.
 */
@ActiveProfiles("h2")
@PrivateRedis
@TestPropertySource(properties = "holdfast.redis.probe-interval=200ms")
class FailbackPastALeftLockTest extends ServerTest {

    private static final String KEY = "hf:lock:failback";

    @Autowired
    RedisServer redis;
    @Autowired
    RedisFirst router;

    @Test
    void aLockLeftByAGoneInstanceDelaysTheFailbackOnlyUntilItsLeaseLapses() throws Exception {
        var salon = fixtures.salon();
        awaitMode(StorageMode.REDIS);
        List<Long> ownLockLeft = new CopyOnWriteArrayList<>();
        router.whenFailingBack(() -> last -> {
            ownLockLeft.add(Long.parseLong(redis.cli("PTTL", KEY)));
            return 0;
        });
        // As the dead instance left it: its nonce, and at most the lease (the default) to live.
        assertThat(redis.cli("SET", KEY, "gone-instance", "PX", "5000")).isEqualTo("OK");
        RedisFirstSupport.failOver(router, "test: Redis was down");
        var hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(LocalDate.now(salon.zone()).plusDays(2), "10:00"));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        String holdId = hold.json().get("holdId").asString();

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            StorageMode mode = router.mode();
            String holder = redis.cli("GET", KEY);
            if (mode == StorageMode.REDIS) {
                // The mode was read first: had the gone instance's lock still been there, no failback could have run.
                assertThat(holder).as("the gone instance's lock").isNotEqualTo("gone-instance");
                break;
            }
            assertThat(System.nanoTime()).as("failed back before the lock's old 2-minute lease").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(redis.cli("EXISTS", "hf:{h:" + holdId + "}")).as("the outage's hold, copied into Redis")
                .isEqualTo("1");
        assertThat(ownLockLeft).as("ms left on this server's own failback lock, at each pass").isNotEmpty()
                .allSatisfy(left -> assertThat(left).isBetween(1L, 5_000L));
    }

    private void awaitMode(StorageMode mode) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (router.mode() != mode && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(router.mode()).isEqualTo(mode);
    }
}
