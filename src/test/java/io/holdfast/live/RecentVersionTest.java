package io.holdfast.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An unchanged poll answers from the day's version as this instance last read or raised it
 * ({@code DayVersions.recent}), here for an hour so that nothing but the rules below can make it ask again: a version
 * raised behind the instance's back (as another instance would) is not asked for, while every change made through
 * this instance (a hold, a selection, a schedule change) and a switch between the stores show at the next poll.
 */
@ActiveProfiles("h2")
@PrivateRedis
@TestPropertySource(properties = {"holdfast.availability.version-reuse=1h", "holdfast.redis.probe-interval=200ms"})
class RecentVersionTest extends ServerTest {

    @Autowired
    RedisServer redis;

    @Test
    void aVersionRaisedElsewhereIsNotAskedForWhileEveryChangeMadeHereShowsAtOnce() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        long first = poll(salon.staffId(), day, null).get("version").asLong();

        redis.cli("SET", "hf:{s:" + salon.staffId() + "}:v:" + day, Long.toString(first + 1_000));
        JsonNode reused = poll(salon.staffId(), day, first);
        assertThat(reused.get("changed").asBoolean()).as("raised behind the instance's back: %s", reused).isFalse();
        assertThat(reused.get("version").asLong()).isEqualTo(first);

        Api.Response held = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "10:00"));
        assertThat(held.status()).as(held.toString()).isEqualTo(201);
        JsonNode afterHold = poll(salon.staffId(), day, first);
        assertThat(afterHold.get("changed").asBoolean()).as("a hold made here").isTrue();
        assertThat(afterHold.get("version").asLong()).isGreaterThan(first + 1_000);
        assertThat(afterHold.get("heldSlots")).extracting(JsonNode::asString).containsExactly("10:00");

        long held1 = afterHold.get("version").asLong();
        assertThat(api.put("/api/v1/selections", Map.of("staffId", salon.staffId(), "date", day.toString(),
                "time", "15:00", "clientId", Fixtures.clientId())).status()).isEqualTo(204);
        JsonNode afterSelection = poll(salon.staffId(), day, held1);
        assertThat(afterSelection.get("changed").asBoolean()).as("a selection made here").isTrue();

        // A day past the booking window: the schedule change's announcement does not name it, only the staff
        // member's schedule version moves it.
        LocalDate far = day.plusYears(3);
        long known = poll(salon.staffId(), far, null).get("version").asLong();
        assertThat(poll(salon.staffId(), far, known).get("changed").asBoolean()).isFalse();
        fixtures.everyDay(salon.staffId(), "09:00", "13:00");
        JsonNode afterSchedule = poll(salon.staffId(), far, known);
        assertThat(afterSchedule.get("changed").asBoolean()).as("a schedule change made here").isTrue();
        assertThat(afterSchedule.get("version").asLong()).isGreaterThan(known);
    }

    @Test
    void aSwitchBetweenTheStoresShowsAtTheNextPoll() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(4);
        awaitMode("redis");
        long onRedis = poll(salon.staffId(), day, null).get("version").asLong();
        assertThat(poll(salon.staffId(), day, onRedis).get("changed").asBoolean()).isFalse();

        redis.kill();
        try {
            awaitMode("sql");
            JsonNode onSql = poll(salon.staffId(), day, onRedis);
            assertThat(onSql.get("changed").asBoolean()).as("after the failover: %s", onSql).isTrue();
            assertThat(onSql.get("version").asLong()).isGreaterThan(onRedis);
            onRedis = onSql.get("version").asLong();
            assertThat(poll(salon.staffId(), day, onRedis).get("changed").asBoolean()).isFalse();
        } finally {
            redis.restart();
        }
        awaitMode("redis");
        JsonNode back = poll(salon.staffId(), day, onRedis);
        assertThat(back.get("changed").asBoolean()).as("after the failback: %s", back).isTrue();
        assertThat(back.get("version").asLong()).isGreaterThan(onRedis);
    }

    private void awaitMode(String mode) {
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/live/poll?staffId="
                + fixtures.salon().staffId() + "&date=" + LocalDate.now()).json().get("storageMode").asString()
                .equals(mode));
    }

    private JsonNode poll(long staffId, LocalDate day, Long since) {
        var response = api.get("/api/v1/live/poll?staffId=" + staffId + "&date=" + day + "&clientId="
                + Fixtures.clientId() + (since == null ? "" : "&since=" + since));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }
}
