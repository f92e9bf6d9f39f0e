package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** The embedded default (no Redis configured): redis-status says so, and the live holds come from SQL. */
@ActiveProfiles("h2")
class RedisOpsWithoutRedisTest extends ServerTest {

    @Test
    void redisStatusSaysDisabled() {
        Api.Response response = api.admin("GET", "/api/v1/admin/redis-status", null);

        assertThat(response.status()).isEqualTo(200);
        JsonNode status = response.json();
        assertThat(status.get("redis").asString()).isEqualTo("disabled");
        assertThat(status.get("storageMode").asString()).isEqualTo("sql");
        assertThat(status.get("failoverCount").asLong()).isZero();
        assertThat(status.has("server")).isFalse();
        assertThat(status.has("mode")).isFalse();
    }

    @Test
    void liveHoldsComeFromSql() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "10:00"));
        assertThat(hold.status()).isEqualTo(201);

        Api.Response response = api.admin("GET", "/api/v1/admin/holds?staffId=" + salon.staffId() + "&date=" + day, null);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode listing = response.json();
        assertThat(listing.get("store").asString()).isEqualTo("sql");
        assertThat(listing.get("holds")).hasSize(1);
        JsonNode held = listing.get("holds").get(0);
        assertThat(held.get("holdId").asString()).isEqualTo(hold.json().get("holdId").asString());
        assertThat(held.get("start").asString()).isEqualTo(salon.start(day, "10:00"));
        assertThat(held.get("ttlSeconds").asLong()).isGreaterThan(0).isLessThanOrEqualTo(600);
        assertThat(held.get("store").asString()).isEqualTo("sql");
    }
}
