package io.holdfast.hold;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import io.holdfast.availability.Occupancy;
import io.holdfast.bench.BenchStores;
import io.holdfast.support.RedisServer;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Where a failback of 10,000 live holds spends its time, pass after pass in one JVM (issue #13: the goal is < 500 ms).
 * The holds (one 30-minute slot each, 6 granules, 250 networks) are written to PostgreSQL once through the SQL
 * store, kept in copies of their tables, and put back before every pass; Redis is emptied before every pass (FLUSHALL
 * and SCRIPT FLUSH, as a restarted Redis is). Each pass is a {@link FailbackSync#pass()}, timed as a whole and by
 * step (the stores are wrapped, not changed, so the same driver measures any revision). The first pass is the one a
 * server makes (nothing of the failback is compiled yet); the later ones are warm.
 *
 * <p>{@code HOLDFAST_TEST_SCHEMA=hf_x HOLDFAST_BENCH=failback ./mvnw -B -ntp -q test-compile exec:exec};
 * {@code HOLDFAST_BENCH_PASSES} (default 6) and {@code HOLDFAST_BENCH_HOLDS} (default 10,000) set the counts;
 * {@code HOLDFAST_BENCH_JFR=<file>} records the warm passes' CPU samples (every ms) to that file (read it with
 * {@code java bench/jfr/JfrSummary.java <file>}), {@code HOLDFAST_BENCH_COMMANDSTATS=1} prints Redis's command
 * statistics after each pass.
 */
public final class FailbackMeasurement {

    private static final List<String> TABLES = List.of("slot_hold", "slot_hold_item", "held_granule", "hold_client");

    /**
     * One pass: wall-clock times (whole, SQL reads, the copy into Redis, the SQL deletes), the CPU time this JVM and
     * the redis-server used meanwhile (less at the mercy of a loaded machine than the wall clock), Redis's own time
     * in the scripts per hold, and the load average.
     */
    public record Pass(int copied, long totalMillis, long readMillis, long copyMillis, long forgetMillis,
            long javaCpuMillis, long redisCpuMillis, long redisMicrosPerHold, String load) {
    }

    public static List<Pass> run(int passes, int holds) throws Exception {
        RedisServer redis = RedisServer.start();
        LettuceConnectionFactory connections = BenchStores.redisConnections(redis.port());
        try (HikariDataSource dataSource = BenchStores.database("postgresql")) {
            AtomicLong read = new AtomicLong();
            AtomicLong copy = new AtomicLong();
            AtomicLong forget = new AtomicLong();
            RedisTemporaryStore redisStore = new RedisTemporaryStore(new StringRedisTemplate(connections),
                    Duration.ofHours(1), Duration.ofMillis(500)) {
                @Override
                List<Boolean> restoreAll(List<Restoring> toCopy) {
                    long start = System.nanoTime();
                    try {
                        return super.restoreAll(toCopy);
                    } finally {
                        copy.addAndGet(System.nanoTime() - start);
                    }
                }
            };
            redisStore.warmUp();
            SqlTemporaryStore sqlStore = new SqlTemporaryStore(JdbcClient.create(dataSource),
                    new DataSourceTransactionManager(dataSource), Clock.systemUTC(), Duration.ofHours(1)) {
                @Override
                List<SlotHold> liveHolds() {
                    long start = System.nanoTime();
                    try {
                        return super.liveHolds();
                    } finally {
                        read.addAndGet(System.nanoTime() - start);
                    }
                }

                @Override
                Map<UUID, Origin> origins() {
                    long start = System.nanoTime();
                    try {
                        return super.origins();
                    } finally {
                        read.addAndGet(System.nanoTime() - start);
                    }
                }

                @Override
                List<Tombstone> tombstones() {
                    long start = System.nanoTime();
                    try {
                        return super.tombstones();
                    } finally {
                        read.addAndGet(System.nanoTime() - start);
                    }
                }

                @Override
                void forget(List<SlotHold> copied, List<TimedSelection> selections, List<Tombstone> released) {
                    long start = System.nanoTime();
                    try {
                        super.forget(copied, selections, released);
                    } finally {
                        forget.addAndGet(System.nanoTime() - start);
                    }
                }
            };
            FailbackSync failback = new FailbackSync(redisStore, sqlStore, event -> { });
            fill(sqlStore, holds);
            JdbcClient jdbc = JdbcClient.create(dataSource);
            for (String table : TABLES) {
                jdbc.sql("CREATE TABLE kept_" + table + " AS SELECT * FROM " + table).update();
            }
            List<Pass> results = new ArrayList<>();
            String recordTo = System.getenv("HOLDFAST_BENCH_JFR");
            jdk.jfr.Recording recording = null;
            for (int pass = 0; pass < passes; pass++) {
                if (recordTo != null && pass == 1) {
                    // The warm passes only (the fill would be most of a whole run's samples), sampled every ms.
                    recording = new jdk.jfr.Recording();
                    recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
                    recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(1));
                    recording.start();
                }
                for (String table : List.of("hold_client", "held_granule", "slot_hold_item", "slot_hold")) {
                    jdbc.sql("DELETE FROM " + table).update();
                }
                for (String table : TABLES) {
                    jdbc.sql("INSERT INTO " + table + " SELECT * FROM kept_" + table).update();
                }
                for (String table : TABLES) {
                    jdbc.sql("VACUUM ANALYZE " + table).update();
                }
                redis.cli("FLUSHALL");
                redis.cli("SCRIPT", "FLUSH");
                redis.cli("CONFIG", "RESETSTAT");
                read.set(0);
                copy.set(0);
                forget.set(0);
                long javaCpu = javaCpuNanos();
                double redisCpu = redisCpuSeconds(redis);
                long start = System.nanoTime();
                FailbackSync.Report report = failback.pass();
                long total = System.nanoTime() - start;
                javaCpu = javaCpuNanos() - javaCpu;
                redisCpu = redisCpuSeconds(redis) - redisCpu;
                long left = jdbc.sql("SELECT COUNT(*) FROM slot_hold").query(Long.class).single();
                if (report.holds() != holds || left != 0) {
                    throw new IllegalStateException("pass " + pass + " copied " + report.holds() + ", left " + left);
                }
                String records = redis.cli("EVAL", "return #redis.call('KEYS', 'hf:{h:*}')", "0").trim();
                if (!records.equals(String.valueOf(holds))) {
                    throw new IllegalStateException("pass " + pass + ": " + records + " records in Redis");
                }
                Pass result = new Pass(report.holds(), total / 1_000_000, read.get() / 1_000_000,
                        copy.get() / 1_000_000, forget.get() / 1_000_000, javaCpu / 1_000_000,
                        Math.round(redisCpu * 1000), redisMicros(redis) / holds, load());
                System.out.println("pass " + (pass + 1) + ": " + result);
                if (System.getenv("HOLDFAST_BENCH_COMMANDSTATS") != null) {
                    System.out.println(redis.cli("INFO", "commandstats"));
                }
                results.add(result);
            }
            if (recording != null) {
                recording.stop();
                recording.dump(java.nio.file.Path.of(recordTo));
            }
            for (String table : TABLES) {
                jdbc.sql("DROP TABLE kept_" + table).update();
            }
            return results;
        } finally {
            connections.destroy();
            redis.close();
        }
    }

    private static long javaCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The redis-server's CPU time so far (INFO cpu: user and system, of all its threads). */
    private static double redisCpuSeconds(RedisServer redis) {
        double seconds = 0;
        for (String line : redis.cli("INFO", "cpu").split("\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return seconds;
    }

    /** All scripts' time in Redis since the last CONFIG RESETSTAT (INFO commandstats, evalsha and eval). */
    private static long redisMicros(RedisServer redis) {
        long micros = 0;
        for (String line : redis.cli("INFO", "commandstats").split("\n")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                for (String field : line.substring(line.indexOf(':') + 1).trim().split(",")) {
                    if (field.startsWith("usec=")) {
                        micros += Long.parseLong(field.substring(5));
                    }
                }
            }
        }
        return micros;
    }

    private static String load() throws java.io.IOException {
        return String.join(" ", List.of(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                .split(" ")).subList(0, 3));
    }

    private static void fill(SqlTemporaryStore sql, int holds) throws Exception {
        Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(2));
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<HoldOutcome>> written = new ArrayList<>();
            for (int i = 0; i < holds; i++) {
                int n = i;
                written.add(writers.submit(() -> {
                    Instant start = day.plus(Duration.ofMinutes(30L * (n % 40)));
                    HoldItem item = new HoldItem(1000 + n / 40, 1, start, start.plus(Duration.ofMinutes(30)),
                            new Occupancy(start, start.plus(Duration.ofMinutes(30))));
                    return sql.hold(new LeaseRequest(UUID.randomUUID(), "bench-" + UUID.randomUUID(), "token",
                            Instant.now().truncatedTo(ChronoUnit.MILLIS), List.of(item), "10.0." + (n % 250) + ".0",
                            null), Duration.ofMinutes(40), 3, 1_000);
                }));
            }
            for (Future<HoldOutcome> outcome : written) {
                if (outcome.get().kind() != HoldOutcome.Kind.CREATED) {
                    throw new IllegalStateException("a bench hold was not created: " + outcome.get().kind());
                }
            }
        } finally {
            writers.shutdownNow();
        }
    }
}
