package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.RedisFirstSupport;
import io.holdfast.redis.StorageMode;
import io.holdfast.support.Api;
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
 * A request whose Redis command is on the wire when Redis dies is answered from SQL as soon as the connection drops,
 * not after the command timeout: with {@code REJECT_COMMANDS} (see {@code FailFastRedis}) Lettuce cancels the
 * commands it was waiting on when the channel goes inactive, instead of keeping them for a replay after a reconnect
 * that a dead Redis never allows. The timeout here is a minute, so a regression shows as a minute against
 * milliseconds: the 30 s wait below is no timing claim. (Seen: answered 364 ms after the kill, cold SQL path included.)
 */
@ActiveProfiles("h2")
@PrivateRedis
@TestPropertySource(properties = {
        "holdfast.redis.probe-interval=1h", // no failback, and no probe command of its own in flight
        "spring.data.redis.timeout=60s"
})
class InFlightAtRedisKillTest extends ServerTest {

    @Autowired
    RedisServer redis;
    @Autowired
    RedisFirst router;
    @Autowired
    StringRedisTemplate template;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aHoldWhoseCommandIsInFlightWhenRedisIsKilledIsAnsweredFromSqlWithoutWaitingForTheTimeout() throws Exception {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        assertThat(fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "15:00"))
                .status()).isEqualTo(201);
        if (router.mode() == StorageMode.SQL) {
            RedisFirstSupport.syncAndSwitch(router, template); // a slow call on a loaded machine failed over already
        }
        assertThat(router.mode()).isEqualTo(StorageMode.REDIS);

        redis.pause(); // the command is sent and read by nobody: in flight
        CompletableFuture<Api.Response> hold = CompletableFuture.supplyAsync(() -> fixtures.hold(Fixtures.clientId(),
                salon.staffId(), salon.serviceId(), salon.start(day, "10:00")));
        Thread.sleep(500); // lets the request reach Redis; had it not, it is rejected at once and passes as well
        redis.kill();

        Api.Response answered = hold.get(30, TimeUnit.SECONDS); // the command timeout is 60 s
        assertThat(answered.status()).as(answered.toString()).isEqualTo(201);
        assertThat(router.mode()).isEqualTo(StorageMode.SQL);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM slot_hold WHERE id = ?")
                .param(answered.json().get("holdId").asString()).query(Long.class).single())
                .as("the hold was answered from SQL").isEqualTo(1);
        redis.restart();
    }
}
