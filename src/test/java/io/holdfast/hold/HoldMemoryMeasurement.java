package io.holdfast.hold;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.holdfast.availability.Occupancy;
import io.holdfast.bench.BenchStores;
import io.holdfast.support.RedisServer;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Redis memory for many live holds (issue #13: 100,000 holds in under 50 MB): {@code used_memory} of a private
 * redis-server before and after placing the holds through {@link RedisTemporaryStore#hold} exactly as the server
 * calls it (a guest each, ten guests to a client network, a 30-minute slot of 6 granules, a token of the shape
 * {@code HoldTokens} mints), and {@code MEMORY USAGE} of one hold's keys by kind, to show what the bytes are.
 * {@code HOLDFAST_BENCH=memory ./mvnw test-compile exec:exec}; {@code HOLDFAST_BENCH_HOLDS} sets the count,
 * {@code HOLDFAST_BENCH_EARLIER_FORMS=true} has the store write the earlier forms
 * ({@code holdfast.hold.write-earlier-redis-forms}).
 */
public final class HoldMemoryMeasurement {

    /** @param perKind bytes of one hold's keys by kind ({@code MEMORY USAGE}, sampled on one hold) */
    public record Result(int holds, long usedBefore, long usedAfter, long keys, Map<String, Long> perKind,
            String redisVersion) {

        public long bytesPerHold() {
            return (usedAfter - usedBefore) / holds;
        }
    }

    private static final int GUESTS_PER_NETWORK = 10;
    private static final int STAFF = 500;
    private static final int SLOTS_PER_DAY = 24;

    private HoldMemoryMeasurement() {
    }

    public static Result run(int holds) throws Exception {
        return run(holds, false);
    }

    /** @param earlierForms whether the store writes the earlier forms (holdfast.hold.write-earlier-redis-forms) */
    public static Result run(int holds, boolean earlierForms) throws Exception {
        RedisTemporaryStore.Forms forms = earlierForms ? RedisTemporaryStore.Forms.EARLIER
                : RedisTemporaryStore.Forms.COMPACT;
        try (RedisServer redis = RedisServer.start()) {
            LettuceConnectionFactory connections = BenchStores.redisConnections(redis.port(), Duration.ofSeconds(5));
            try {
                RedisTemporaryStore store = HoldStores.redis(connections, Duration.ofSeconds(5), forms);
                redis.cli("FLUSHALL");
                long before = usedMemory(redis);
                Instant firstDay = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
                ExecutorService threads = Executors.newFixedThreadPool(8);
                try {
                    List<Future<?>> placed = new ArrayList<>();
                    int share = (holds + 7) / 8;
                    for (int t = 0; t < 8; t++) {
                        int from = t * share;
                        int to = Math.min(holds, from + share);
                        placed.add(threads.submit(() -> {
                            for (int i = from; i < to; i++) {
                                place(store, firstDay, i);
                            }
                            return null;
                        }));
                    }
                    for (Future<?> part : placed) {
                        part.get();
                    }
                } finally {
                    threads.shutdownNow();
                }
                long after = usedMemory(redis);
                Map<String, Long> perKind = sampleOneHold(redis, store, firstDay, forms);
                long keys = Long.parseLong(redis.cli("DBSIZE").trim());
                String version = info(redis, "server", "redis_version");
                return new Result(holds, before, after, keys, perKind, version);
            } finally {
                connections.destroy();
            }
        }
    }

    private static LeaseRequest place(RedisTemporaryStore store, Instant firstDay, int i) {
        int slot = i / STAFF;
        Instant start = firstDay.plus(Duration.ofDays(slot / SLOTS_PER_DAY))
                .plus(Duration.ofHours(8)).plus(Duration.ofMinutes(30L * (slot % SLOTS_PER_DAY)));
        HoldItem item = new HoldItem(i % STAFF + 1, 1, start, start.plus(Duration.ofMinutes(30)),
                new Occupancy(start, start.plus(Duration.ofMinutes(30))));
        UUID holdId = UUID.randomUUID();
        String clientId = UUID.randomUUID().toString();
        Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String network = "198." + (i / GUESTS_PER_NETWORK / 256 % 256) + "." + (i / GUESTS_PER_NETWORK % 256) + ".0/24";
        LeaseRequest request = new LeaseRequest(holdId, clientId, MintedTokens.of(holdId, clientId, createdAt, List.of(item)), createdAt,
                List.of(item), network, UUID.randomUUID().toString());
        HoldOutcome outcome = store.hold(request, Duration.ofMinutes(10), 3, GUESTS_PER_NETWORK * 3);
        if (outcome.kind() != HoldOutcome.Kind.CREATED) {
            throw new IllegalStateException("hold " + i + " was " + outcome.kind());
        }
        return request;
    }


    /**
     * One more hold (a year later, so on granules of its own), its keys by the store's own names, each measured with
     * MEMORY USAGE. The network's zset and the lapse index are shared with other holds: each hold adds one member.
     */
    private static Map<String, Long> sampleOneHold(RedisServer redis, RedisTemporaryStore store, Instant firstDay,
            RedisTemporaryStore.Forms forms) {
        LeaseRequest sample = place(store, firstDay.plus(Duration.ofDays(365)), 0);
        Map<String, Long> perKind = new LinkedHashMap<>();
        perKind.put("hold record (hash)", usage(redis, RedisTemporaryStore.recordKey(sample.holdId())));
        HoldItem item = sample.items().get(0);
        long granules = 0;
        for (long granule : item.occupancy().granules()) {
            granules += usage(redis, RedisTemporaryStore.granuleKey(item.staffId(), granule));
        }
        perKind.put("granule leases (" + item.occupancy().granules().length + " keys)", granules);
        perKind.put("guest's held slots (zset)", usage(redis, RedisTemporaryStore.clientSlots(sample.clientId())));
        perKind.put("guest's request fingerprint",
                usage(redis, forms == RedisTemporaryStore.Forms.EARLIER
                        ? RedisTemporaryStore.earlierFingerprintKey(sample.clientId(), sample.fingerprint())
                        : RedisTemporaryStore.fingerprintKey(sample.clientId(), sample.fingerprint())));
        return perKind;
    }

    private static long usage(RedisServer redis, String key) {
        String bytes = redis.cli("MEMORY", "USAGE", key).trim();
        if (bytes.isEmpty()) {
            throw new IllegalStateException("no key " + key);
        }
        return Long.parseLong(bytes);
    }

    private static long usedMemory(RedisServer redis) {
        return Long.parseLong(info(redis, "memory", "used_memory"));
    }

    private static String info(RedisServer redis, String section, String field) {
        for (String line : redis.cli("INFO", section).split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        throw new IllegalStateException("INFO " + section + " has no " + field);
    }
}
