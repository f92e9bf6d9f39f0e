package io.holdfast.hold.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import io.holdfast.hold.FailoverTemporaryStore;
import io.holdfast.hold.StorageMode;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The admin release on a private Redis, and on the SQL store it fails over to: a hold taken and released during
 * the outage stays released after the failback.
 */
@ActiveProfiles("h2")
@PrivateRedis
@TestPropertySource(properties = "holdfast.redis.probe-interval=200ms")
class AdminReleaseOnRedisTest extends AdminReleaseContract {

    @Autowired
    RedisServer redis;
    @Autowired
    FailoverTemporaryStore router;

    @BeforeEach
    void redisServesHolds() {
        awaitMode(StorageMode.REDIS);
    }

    @Test
    void releasesOnTheSqlStoreWhileRedisIsDownAndTheHoldStaysReleasedAfterTheFailback() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        JsonNode during;
        redis.kill();
        try {
            awaitMode(StorageMode.SQL);
            during = hold(Fixtures.clientId(), salon, day, "13:00");
            assertThat(state(salon, day, "13:00", Fixtures.clientId())).isEqualTo("held");

            Api.Response released = api.admin("DELETE", "/api/v1/admin/holds/" + id(during), null);

            assertThat(released.status()).as(released.toString()).isEqualTo(204);
            assertThat(state(salon, day, "13:00", Fixtures.clientId())).isEqualTo("free");
        } finally {
            redis.restart();
        }
        awaitMode(StorageMode.REDIS);
        assertThat(state(salon, day, "13:00", Fixtures.clientId())).isEqualTo("free");
        assertThat(ids(api.admin("GET", "/api/v1/admin/holds?staffId=" + salon.staffId(), null).json()))
                .doesNotContain(id(during));
        Api.Response extend = api.patch("/api/v1/holds/" + id(during), java.util.Map.of(), "Hold-Token",
                during.get("token").asString());
        assertThat(extend.status()).as("the released hold's token after the failback: " + extend).isIn(404, 410);
        assertThat(state(salon, day, "13:00", Fixtures.clientId())).isEqualTo("free");
    }

    private void awaitMode(StorageMode mode) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (router.mode() != mode) {
            assertThat(System.currentTimeMillis()).as("waited for %s mode", mode).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
