package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.StorageMode;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.PrivateRedis;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The seeds' central promise under load: 50 clients hold, extend, release and book while Redis is killed by its pid
 * and restarted. No request fails, no store ever has two holds on one granule, no two bookings overlap, and the
 * holds made during the outage are in Redis after the failback with their remaining lease.
 */
@ActiveProfiles("h2")
@PrivateRedis
@TestPropertySource(properties = "holdfast.redis.probe-interval=200ms")
class FailoverWithoutErrorsTest extends ServerTest {

    @Autowired
    RedisServer redisServer;
    @Autowired
    RedisFirst router;
    @Autowired
    StringRedisTemplate redis;
    @Autowired
    JdbcClient jdbc;

    private record Kept(UUID holdId, Instant expiresAt) {
    }

    @Test
    void fiftyClientsSeeNoFailureWhileRedisDiesAndReturns() throws Exception {
        var salon = fixtures.salon("Europe/Berlin", 15, 30, 0, 0, "08:00", "18:00");
        List<String> starts = new ArrayList<>();
        for (int day = 2; day <= 4; day++) {
            LocalDate date = LocalDate.now(salon.zone()).plusDays(day);
            for (int minutes = 8 * 60; minutes + 30 <= 18 * 60; minutes += 15) {
                starts.add(salon.start(date, String.format("%02d:%02d", minutes / 60, minutes % 60)));
            }
        }
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Kept> keptDuringOutage = new ConcurrentLinkedQueue<>();
        AtomicBoolean outage = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(50);
        for (int c = 0; c < 50; c++) {
            clients.submit(() -> {
                String clientId = Fixtures.clientId();
                while (!stop.get()) {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    // Only a hold asked for after the kill is surely not in the dead Redis (which keeps nothing on
                    // disk): one made there just before the kill is lost with it, as documented.
                    boolean askedDuringOutage = outage.get();
                    Api.Response hold = fixtures.hold(clientId, salon.staffId(), salon.serviceId(),
                            starts.get(random.nextInt(starts.size())));
                    count(hold, statuses, failures, "hold");
                    if (hold.status() != 201) {
                        continue;
                    }
                    JsonNode body = hold.json();
                    String path = "/api/v1/holds/" + body.get("holdId").asString();
                    String token = body.get("token").asString();
                    int action = random.nextInt(10);
                    if (action < 3) {
                        count(fixtures.book(body, "c@example.com"), statuses, failures, "book");
                    } else if (action < 6) {
                        count(api.patch(path, null, "Hold-Token", token), statuses, failures, "extend");
                        count(api.delete(path, "Hold-Token", token), statuses, failures, "release");
                    } else if (action < 9) {
                        count(api.delete(path, "Hold-Token", token), statuses, failures, "release");
                    } else if (askedDuringOutage) {
                        keptDuringOutage.add(new Kept(UUID.fromString(body.get("holdId").asString()),
                                OffsetDateTime.parse(body.get("expiresAt").asString()).toInstant()));
                    } else {
                        count(api.delete(path, "Hold-Token", token), statuses, failures, "release");
                    }
                }
            });
        }
        Thread.sleep(1500);
        // On a starved machine a slow call may already have failed over (and back): start the outage in Redis mode.
        awaitMode(StorageMode.REDIS);
        redisServer.kill();
        outage.set(true);
        awaitMode(StorageMode.SQL);
        // Holds made and kept during the outage, on times the clients never ask for (the last hour of the day).
        LocalDate lastDay = LocalDate.now(salon.zone()).plusDays(4);
        for (String time : List.of("17:00", "17:30")) {
            Api.Response kept = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                    salon.start(lastDay.plusDays(1), time));
            assertThat(kept.status()).as(kept.toString()).isEqualTo(201);
            keptDuringOutage.add(new Kept(UUID.fromString(kept.json().get("holdId").asString()),
                    OffsetDateTime.parse(kept.json().get("expiresAt").asString()).toInstant()));
        }
        Thread.sleep(2000);
        redisServer.restart();
        long deadline = System.currentTimeMillis() + 30_000;
        while (router.mode() != StorageMode.REDIS && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        outage.set(false);
        assertThat(router.mode()).as("failed back to Redis").isEqualTo(StorageMode.REDIS);
        Thread.sleep(1500);
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        // The sync's last pass, for calls that outwaited its gate, runs after the switch; and a call slower than the
        // command timeout on a loaded machine may have failed over (and back) again since: await the copy.
        long copied = System.currentTimeMillis() + 30_000;
        while ((router.mode() != StorageMode.REDIS || liveSqlHolds() > 0) && System.currentTimeMillis() < copied) {
            Thread.sleep(50);
        }

        System.out.printf("failover run: statuses %s, kept during outage %d, failovers %d%n", statuses,
                keptDuringOutage.size(), router.failoverCount());
        assertThat(failures).as("failed requests").isEmpty();
        assertThat(statuses.keySet()).allMatch(status -> status < 500);
        assertThat(statuses.getOrDefault(201, new AtomicInteger()).get()).isGreaterThan(50);

        assertThat(overlappingBookings(salon.staffId())).as("overlapping bookings").isZero();
        assertThat(keptDuringOutage).as("holds made during the outage").isNotEmpty();
        for (Kept kept : keptDuringOutage) {
            String record = RedisTemporaryStore.recordKey(kept.holdId());
            Map<Object, Object> fields = redis.opsForHash().entries(record);
            assertThat(fields).as("hold %s made during the outage is in Redis after failback", kept.holdId())
                    .isNotEmpty();
            Instant expiresAt = Instant.ofEpochMilli(Long.parseLong((String) fields.get("expiresAt")));
            assertThat(Duration.between(kept.expiresAt(), expiresAt).abs()).isLessThanOrEqualTo(Duration.ofSeconds(1));
            long readFrom = System.currentTimeMillis();
            Long pttl = redis.getExpire(RedisTemporaryStore.granuleKey(salon.staffId(),
                    io.holdfast.catalog.Granules.of(Instant.ofEpochSecond(
                            Long.parseLong(((String) fields.get("items")).split(",")[4])))), TimeUnit.MILLISECONDS);
            long readUntil = System.currentTimeMillis();
            // The answer's expiresAt is given to the second; the record keeps the millisecond the lease was set to.
            // The lease was read somewhere between readFrom and readUntil (a long pause on a loaded machine).
            assertThat(pttl).as("remaining lease of %s in Redis", kept.holdId()).isBetween(
                    expiresAt.toEpochMilli() - readUntil - 1000, expiresAt.toEpochMilli() - readFrom + 1000);
        }
        assertThat(granulesOwnedByOtherHolds()).as("Redis holds whose granules belong to another hold").isEmpty();
        assertThat(liveSqlHolds()).as("SQL temporary holds left after failback").isZero();
    }

    private long liveSqlHolds() {
        return jdbc.sql("SELECT COUNT(*) FROM slot_hold WHERE expires_at > CURRENT_TIMESTAMP").query(Long.class).single();
    }

    private void awaitMode(StorageMode mode) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (router.mode() != mode && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(router.mode()).isEqualTo(mode);
    }

    private static void count(Api.Response response, Map<Integer, AtomicInteger> statuses,
            ConcurrentLinkedQueue<String> failures, String what) {
        statuses.computeIfAbsent(response.status(), s -> new AtomicInteger()).incrementAndGet();
        boolean expected = response.status() / 100 == 2 || response.status() == 409 || response.status() == 410;
        if (!expected) {
            failures.add(what + " -> " + response);
        }
    }

    private long overlappingBookings(long staffId) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM booking a JOIN booking b ON a.staff_id = b.staff_id AND a.id < b.id
                WHERE a.staff_id = ? AND a.status = 'CONFIRMED' AND b.status = 'CONFIRMED'
                  AND a.start_at < b.end_at AND b.start_at < a.end_at""").param(staffId).query(Long.class).single();
    }

    /** Every live hold record's granules must be leased by that same hold. */
    private List<String> granulesOwnedByOtherHolds() {
        List<String> wrong = new ArrayList<>();
        Set<String> records = new java.util.HashSet<>();
        try (var cursor = redis.scan(ScanOptions.scanOptions().match("hf:{h:*").count(500).build())) {
            cursor.forEachRemaining(records::add);
        }
        for (String record : records) {
            if (!record.endsWith("}")) {
                continue; // a released hold's tombstone (hf:{h:<id>}:released): its granules may be anyone's now
            }
            Map<Object, Object> fields = redis.opsForHash().entries(record);
            if (fields.isEmpty() || Long.parseLong((String) fields.get("expiresAt")) <= System.currentTimeMillis() + 200) {
                continue;
            }
            String holdId = record.substring("hf:{h:".length(), record.length() - 1);
            for (HoldItem item : HoldItems.decode((String) fields.get("items"))) {
                for (long granule : item.occupancy().granules()) {
                    String owner = redis.opsForValue().get(RedisTemporaryStore.granuleKey(item.staffId(), granule));
                    if (owner != null && !owner.startsWith(holdId + "|")) {
                        wrong.add(record + " granule " + granule + " owned by " + owner);
                    }
                }
            }
        }
        return wrong;
    }
}
