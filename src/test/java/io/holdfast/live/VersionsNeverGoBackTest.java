package io.holdfast.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import io.holdfast.hold.FailoverTemporaryStore;
import io.holdfast.hold.StorageMode;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Instance;
import io.holdfast.support.RedisServer;
import io.holdfast.support.SseClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue #16: a day's version, polled or streamed, is at least every version served before, on every instance,
 * across a Redis kill (failover to SQL) and a restart (failback). Before, a day changed only in Redis polled
 * {@code version: 0} from SQL after the kill, and the first event carried {@code previousVersion: 0}.
 */
class VersionsNeverGoBackTest {

    private static final RedisServer REDIS = RedisServer.start();
    private static Instance a;
    private static Instance b;

    @BeforeAll
    static void startInstances() {
        String[] shared = {"--spring.data.redis.url=" + REDIS.url(),
                "--spring.datasource.url=jdbc:h2:mem:versions-never-go-back;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
                "--holdfast.redis.probe-interval=200ms", "--holdfast.live.relay-check-interval=500ms"};
        a = Instance.start(shared);
        b = Instance.start(shared);
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
        REDIS.close();
    }

    @Test
    void pollsAndEventsNeverReportALowerVersionAcrossFailoverAndFailbackOnTwoInstances() throws Exception {
        var salon = a.fixtures().salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        String stream = "/api/v1/live/stream?staffId=" + salon.staffId() + "&date=" + day;
        Versions seen = new Versions(salon.staffId(), day);
        try (SseClient onA = SseClient.open(a.url(stream)); SseClient onB = SseClient.open(b.url(stream))) {
            assertThat(onA.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            assertThat(onB.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            hold(a, salon, day, "09:00");
            seen.event(next(onA, "09:00"));
            seen.poll(a);
            seen.poll(b);

            REDIS.kill();
            seen.poll(a); // the first poll after the kill meets the dead Redis itself
            seen.poll(b);
            awaitMode(StorageMode.SQL);
            seen.poll(a);
            seen.poll(b);
            hold(b, salon, day, "10:00");
            seen.event(next(onB, "10:00"));
            seen.poll(a);
            seen.poll(b);

            REDIS.restart();
            awaitMode(StorageMode.REDIS);
            seen.poll(b);
            seen.poll(a);
            hold(a, salon, day, "11:00");
            seen.event(next(onA, "11:00"));
            seen.poll(b);
            seen.poll(a);
        }
        assertThat(seen.served).hasSizeGreaterThan(12);
    }

    /** Every version served so far, each checked against the highest before it. */
    private static final class Versions {

        private final long staffId;
        private final LocalDate day;
        private final List<String> served = new java.util.ArrayList<>();
        private long highest;

        Versions(long staffId, LocalDate day) {
            this.staffId = staffId;
            this.day = day;
        }

        void poll(Instance instance) {
            Api.Response poll = instance.api().get("/api/v1/live/poll?staffId=" + staffId + "&date=" + day);
            assertThat(poll.status()).as(poll.toString()).isEqualTo(200);
            long version = poll.json().get("version").asLong();
            served.add(instance.port() + " polled " + version + " (" + poll.json().get("storageMode").asString() + ")");
            assertThat(version).as("poll after %s", served).isGreaterThanOrEqualTo(highest);
            highest = version;
        }

        void event(JsonNode event) {
            long previous = event.get("previousVersion").asLong();
            long version = event.get("version").asLong();
            served.add("event " + previous + " -> " + version);
            assertThat(previous).as("previousVersion after %s", served).isGreaterThanOrEqualTo(highest);
            assertThat(version).isGreaterThan(previous);
            highest = version;
        }
    }

    private static void hold(Instance instance, Fixtures.Salon salon, LocalDate day, String time) {
        Api.Response hold = instance.fixtures().hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, time));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
    }

    private static void awaitMode(StorageMode mode) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (a.bean(FailoverTemporaryStore.class).mode() == mode && b.bean(FailoverTemporaryStore.class).mode() == mode) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("instances did not reach storage mode " + mode);
    }

    /** The "held" event of a time (a stream also receives the other instance's earlier events). */
    private static JsonNode next(SseClient viewer, String time) throws InterruptedException {
        while (true) {
            SseClient.Event event = viewer.next("slot", Duration.ofSeconds(10));
            assertThat(event).as("a 'held' slot event for %s", time).isNotNull();
            JsonNode json = event.json();
            if (json.get("type").asString().equals("held") && json.get("times").get(0).asString().equals(time)) {
                return json;
            }
        }
    }
}
