package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.RedisFirstSupport;
import io.holdfast.redis.StorageMode;
import io.holdfast.support.Fixtures;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

/**
 * A hold request that times out against a stalled Redis is answered from SQL. When Redis wakes up it still finds the
 * request's bytes in its socket buffer (no client setting can take back what was sent), and the request must not
 * act late: it would create a second, orphaned hold in Redis. The scripts carry a deadline in Redis time and refuse.
 */
@ActiveProfiles("h2")
@PrivateRedis
@TestPropertySource(properties = {
        // No failback during the test: it would (rightly) copy the SQL hold into Redis and hide a late write.
        "holdfast.redis.probe-interval=1h",
        // The production timeout, which the stall must outlast (the test contexts' default is longer).
        "spring.data.redis.timeout=500ms"
})
class NoLateHoldAfterStallTest extends ServerTest {

    @Autowired
    RedisServer redis;
    @Autowired
    RedisFirst router;
    @Autowired
    StringRedisTemplate template;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aHoldThatTimedOutOnAStalledRedisIsNotExecutedWhenRedisWakesUp() throws Exception {
        var salon = fixtures.salon();
        String start = salon.start(LocalDate.now(salon.zone()).plusDays(2), "10:00");
        assertThat(fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(LocalDate.now(salon.zone()).plusDays(2), "15:00")).status()).isEqualTo(201);
        if (router.mode() == StorageMode.SQL) {
            // A call slower than the command timeout on a loaded machine failed over already; with no probe to fail
            // back, the test does it, so the stall below starts on Redis as it must.
            RedisFirstSupport.syncAndSwitch(router, template);
        }
        assertThat(router.mode()).isEqualTo(StorageMode.REDIS);

        String stalledClient = Fixtures.clientId();
        redis.pause();
        var hold = fixtures.hold(stalledClient, salon.staffId(), salon.serviceId(), start);
        redis.resume();

        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        assertThat(router.mode()).isEqualTo(StorageMode.SQL);
        String holdId = hold.json().get("holdId").asString();
        Thread.sleep(500); // let the woken server work through everything that was queued in its socket
        assertThat(redis.cli("EXISTS", "hf:{h:" + holdId + "}")).isEqualTo("0");
        assertThat(redis.cli("--scan", "--pattern", "hf:{c:" + stalledClient + "}*"))
                .as("no reservation or fingerprint of the stalled request in Redis").isBlank();
        assertThat(redis.cli("--scan", "--pattern", "hf:{s:" + salon.staffId() + "}:g:*").lines()
                .filter(line -> !line.isBlank()).count())
                .as("granule leases in Redis: only the 15:00 hold made before the stall").isEqualTo(6);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM slot_hold WHERE id = ?").param(holdId).query(Long.class).single())
                .as("the hold was answered from SQL").isEqualTo(1);
    }
}
