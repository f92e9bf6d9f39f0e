package io.holdfast.live;

import io.holdfast.availability.Versions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.StorageMode;
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
 * Two instances share Redis and the database, as behind a load balancer: a viewer connected to one sees, in order,
 * what customers do on the other, and keeps seeing it after Redis has been killed and restarted.
 */
class LiveAcrossInstancesTest {

    private static final RedisServer REDIS = RedisServer.start();
    private static Instance a;
    private static Instance b;

    @BeforeAll
    static void startInstances() {
        String[] shared = {"--spring.data.redis.url=" + REDIS.url(),
                "--spring.datasource.url=jdbc:h2:mem:live-two-instances;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
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
    void aViewerOnOneInstanceSeesHoldBookAndCancelMadeOnTheOtherInOrder() throws Exception {
        Fixtures onA = a.fixtures();
        var salon = onA.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        try (SseClient viewer = SseClient.open(b.url("/api/v1/live/stream?staffId=" + salon.staffId() + "&date=" + day))) {
            assertThat(viewer.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            // The relay subscribes to the channel when the first viewer arrives, in the background.
            awaitSubscribers(salon.staffId(), day, 1);

            Api.Response hold = onA.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "10:00"));
            assertThat(hold.status()).isEqualTo(201);
            JsonNode held = next(viewer, "held");

            Api.Response booked = onA.book(hold.json(), "ann@example.com");
            assertThat(booked.status()).isEqualTo(201);
            JsonNode bookedEvent = next(viewer, "booked");

            JsonNode booking = booked.json().get("bookings").get(0);
            assertThat(a.api().delete("/api/v1/bookings/" + booking.get("id").asString(), "Manage-Token",
                    booking.get("manageToken").asString()).status()).isEqualTo(204);
            JsonNode cancelled = next(viewer, "cancelled");

            for (JsonNode event : List.of(held, bookedEvent, cancelled)) {
                assertThat(event.get("times").get(0).asString()).isEqualTo("10:00");
                assertThat(event.get("staffId").asLong()).isEqualTo(salon.staffId());
                assertThat(event.get("date").asString()).isEqualTo(day.toString());
            }
            assertThat(held.get("version").asLong()).isLessThan(bookedEvent.get("version").asLong());
            assertThat(bookedEvent.get("version").asLong()).isLessThan(cancelled.get("version").asLong());
            assertThat(cancelled.get("previousVersion").asLong()).isEqualTo(bookedEvent.get("version").asLong());
        }
    }

    /**
     * Changes of one day made at once on one instance reach a viewer on the other in the order of their versions,
     * each event's {@code previousVersion} the version of the one before: the script that raises a day's version
     * publishes the event too, so no change can be published after a later one (as a raise and a separate PUBLISH
     * could, from two request threads).
     */
    @Test
    void changesOfOneDayMadeAtOnceReachTheOtherInstanceInTheOrderOfTheirVersions() throws Exception {
        Fixtures onA = a.fixtures();
        var salon = onA.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(6);
        List<String> times = onA.times(salon, day);
        assertThat(times).hasSizeGreaterThanOrEqualTo(16);
        var customers = java.util.concurrent.Executors.newFixedThreadPool(8);
        try (SseClient viewer = SseClient.open(b.url("/api/v1/live/stream?staffId=" + salon.staffId() + "&date=" + day))) {
            assertThat(viewer.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            awaitSubscribers(salon.staffId(), day, 1);
            List<java.util.concurrent.Future<Api.Response>> holds = new ArrayList<>();
            for (String time : times.subList(0, 16)) {
                holds.add(customers.submit(() -> onA.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                        salon.start(day, time))));
            }
            for (var hold : holds) {
                assertThat(hold.get().status()).as(hold.get().toString()).isEqualTo(201);
            }
            List<JsonNode> events = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                events.add(next(viewer, "held"));
            }
            for (int i = 1; i < events.size(); i++) {
                assertThat(events.get(i).get("previousVersion").asLong()).as("event %d of %s", i, events)
                        .isEqualTo(events.get(i - 1).get("version").asLong());
            }
            assertThat(events).extracting(event -> event.get("times").get(0).asString())
                    .containsExactlyInAnyOrderElementsOf(times.subList(0, 16));
        } finally {
            customers.shutdownNow();
        }
    }

    @Test
    void streamsOnBothInstancesKeepDeliveringAfterRedisIsKilledAndRestarted() throws Exception {
        var salon = a.fixtures().salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(4);
        String path = "/api/v1/live/stream?staffId=" + salon.staffId() + "&date=" + day;
        try (SseClient onA = SseClient.open(a.url(path)); SseClient onB = SseClient.open(b.url(path))) {
            assertThat(onA.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            assertThat(onB.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);

            REDIS.kill();
            awaitMode(StorageMode.SQL);
            assertThat(onA.next("mode", Duration.ofSeconds(30)).json().get("mode").asString()).isEqualTo("sql");
            REDIS.restart();
            awaitMode(StorageMode.REDIS);
            long back = System.currentTimeMillis();
            assertThat(onB.next("mode", Duration.ofSeconds(30))).isNotNull();
            // The restarted server knows no subscription: each relay's self-check notices and subscribes again. Until
            // a self-check sent after the failback has come through, a relay may still be restarting its listener.
            for (Instance instance : List.of(a, b)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> instance.bean(io.holdfast.redis.RedisMessages.class).subscriptionProvenAt() > back);
            }
            awaitSubscribers(salon.staffId(), day, 2);

            List<String> times = new ArrayList<>();
            for (Map.Entry<Instance, String> step : Map.of(a, "11:00", b, "14:00").entrySet()) {
                Api.Response hold = step.getKey().fixtures().hold(Fixtures.clientId(), salon.staffId(),
                        salon.serviceId(), salon.start(day, step.getValue()));
                assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
                times.add(step.getValue());
            }
            List<String> seenOnA = new ArrayList<>();
            List<String> seenOnB = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                seenOnA.add(next(onA, "held").get("times").get(0).asString());
                seenOnB.add(next(onB, "held").get("times").get(0).asString());
            }
            assertThat(seenOnA).containsExactlyInAnyOrderElementsOf(times);
            assertThat(seenOnB).containsExactlyInAnyOrderElementsOf(times);
        }
    }

    /**
     * Issue #16: a day's version, polled or streamed, is at least every version served before, on both instances,
     * across a Redis kill and restart. Before, a day changed only in Redis polled {@code version: 0} from SQL after
     * the kill, and the first event carried {@code previousVersion: 0}.
     */
    @Test
    void versionsNeverGoBackAcrossFailoverAndFailbackOnEitherInstance() throws Exception {
        awaitMode(StorageMode.REDIS);
        var salon = a.fixtures().salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        String stream = "/api/v1/live/stream?staffId=" + salon.staffId() + "&date=" + day;
        Versions seen = new Versions(salon.staffId(), day);
        try (SseClient onA = SseClient.open(a.url(stream)); SseClient onB = SseClient.open(b.url(stream))) {
            assertThat(onA.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            assertThat(onB.awaitStatus(Duration.ofSeconds(10))).isEqualTo(200);
            hold(a, salon, day, "09:00");
            seen.event(held(onA, "09:00"));
            seen.poll(a);
            seen.poll(b);

            REDIS.kill();
            seen.poll(a); // the first poll after the kill meets the dead Redis itself
            seen.poll(b);
            awaitMode(StorageMode.SQL);
            seen.poll(a);
            seen.poll(b);
            hold(b, salon, day, "10:00");
            seen.event(held(onB, "10:00"));
            seen.poll(a);
            seen.poll(b);

            REDIS.restart();
            awaitMode(StorageMode.REDIS);
            seen.poll(b);
            seen.poll(a);
            hold(a, salon, day, "11:00");
            seen.event(held(onA, "11:00"));
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
            if (a.bean(RedisFirst.class).mode() == mode && b.bean(RedisFirst.class).mode() == mode) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("instances did not reach storage mode " + mode);
    }

    /** Waits until this many instances are subscribed to the day's channel on the Redis server. */
    private static void awaitSubscribers(long staffId, LocalDate day, int instances) {
        String channel = "hf:slots:" + day + ":" + staffId;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(
                () -> REDIS.cli("PUBSUB", "NUMSUB", channel).lines().reduce((first, second) -> second).orElse(""),
                subscribers -> subscribers.equals(String.valueOf(instances)));
    }

    private static JsonNode next(SseClient viewer, String type) throws InterruptedException {
        while (true) {
            SseClient.Event event = viewer.next("slot", Duration.ofSeconds(30));
            assertThat(event).as("a '%s' slot event", type).isNotNull();
            JsonNode json = event.json();
            if (json.get("type").asString().equals(type)) {
                return json;
            }
        }
    }

    /** The "held" event of a time (a stream also receives the other instance's earlier events). */
    private static JsonNode held(SseClient viewer, String time) throws InterruptedException {
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
