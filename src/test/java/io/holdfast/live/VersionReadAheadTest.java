package io.holdfast.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;

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
 * A day polled all the time has its version read ahead in the last quarter of the version reuse
 * ({@code DayVersions.recent}): a version raised behind the instance's back (as another instance would) shows before
 * the reuse is over, though every poll answered from the known version, and not before its last quarter. The reuse
 * is long here (20 s) so that the quarter (5 s) is far more than a poll and a Redis read take on a loaded machine.
 */
@ActiveProfiles("h2")
@PrivateRedis
@TestPropertySource(properties = "holdfast.availability.version-reuse=20s")
class VersionReadAheadTest extends ServerTest {

    private static final Duration REUSE = Duration.ofSeconds(20);

    @Autowired
    RedisServer redis;

    @Test
    void aVersionRaisedElsewhereIsReadAheadInTheLastQuarterOfTheReuse() throws InterruptedException {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        long started = System.nanoTime(); // before the server's read, so the server's age of it is never more
        long first = poll(salon.staffId(), day, null).get("version").asLong();
        redis.cli("SET", "hf:{s:" + salon.staffId() + "}:v:" + day, Long.toString(first + 1_000));

        JsonNode answer;
        do {
            answer = poll(salon.staffId(), day, first);
            Thread.sleep(100); // a page polls every second; ten times that is still one round trip at a time
        } while (!answer.get("changed").asBoolean() && System.nanoTime() - started < REUSE.toNanos() * 2);
        Duration seenAfter = Duration.ofNanos(System.nanoTime() - started);

        assertThat(answer.get("changed").asBoolean()).as("seen at all, %s after the first read", seenAfter).isTrue();
        assertThat(answer.get("version").asLong()).isEqualTo(first + 1_000);
        assertThat(seenAfter).as("not asked for in the reuse's first three quarters")
                .isGreaterThanOrEqualTo(REUSE.multipliedBy(3).dividedBy(4));
        assertThat(seenAfter).as("read ahead: seen before the reuse was over").isLessThan(REUSE);
    }

    private JsonNode poll(long staffId, LocalDate day, Long since) {
        var response = api.get("/api/v1/live/poll?staffId=" + staffId + "&date=" + day + "&clientId="
                + Fixtures.clientId() + (since == null ? "" : "&since=" + since));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }
}
