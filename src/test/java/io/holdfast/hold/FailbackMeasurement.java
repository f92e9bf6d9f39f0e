package io.holdfast.hold;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import io.holdfast.availability.Occupancy;
import io.holdfast.bench.BenchStores;
import io.holdfast.redis.FailbackStep;
import io.holdfast.support.RedisServer;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Where a failback of 10,000 live holds spends its time, failback after failback in one JVM (issue #13: the goal is
 * < 500 ms). The holds (one 30-minute slot each, 6 granules, 250 networks) are written to PostgreSQL once through the
 * SQL store, kept in copies of their tables, and put back before every run; Redis is emptied before every run
 * (FLUSHALL and SCRIPT FLUSH, as a restarted Redis is). Each run makes the three passes of a server's failback
 * ({@code io.holdfast.redis.Failback}) through {@link FailbackSync#begin()}: the bulk copy while SQL still serves, the
 * gated pass while new calls wait (the pause a user can see), the pass after the switch. Each is timed, with the CPU
 * time of this JVM and of the redis-server meanwhile. The first run is the one a server makes (nothing of the failback
 * is compiled yet); the later ones are warm.
 *
 * <p>{@code HOLDFAST_TEST_SCHEMA=hf_x HOLDFAST_BENCH=failback ./mvnw -B -ntp -q test-compile exec:exec};
 * {@code HOLDFAST_BENCH_PASSES} (default 6) and {@code HOLDFAST_BENCH_HOLDS} (default 10,000) set the counts;
 * {@code HOLDFAST_BENCH_GATED_FORGETS=true} makes the gated pass the forgetting one (as revisions before 2026-12-04
 * did: run the same driver on one of them); {@code HOLDFAST_BENCH_JFR=<file>} records the warm runs' CPU samples
 * (every ms) to that file (read it with {@code java bench/jfr/JfrSummary.java <file>}),
 * {@code HOLDFAST_BENCH_COMMANDSTATS=1} prints Redis's command statistics after each run.
 */
public final class FailbackMeasurement {

    private static final List<String> TABLES = List.of("slot_hold", "slot_hold_item", "held_granule", "hold_client");

    /**
     * One failback: wall-clock times (whole, the bulk pass, the gated pass, the pass after the switch), the CPU time
     * this JVM and the redis-server used meanwhile (less at the mercy of a loaded machine than the wall clock),
     * Redis's own time in the scripts per hold, and the load average.
     */
    public record Failback(int copied, long totalMillis, long bulkMillis, long gatedMillis, long afterMillis,
            long javaCpuMillis, long redisCpuMillis, long redisMicrosPerHold, String load) {
    }

    public static List<Failback> run(int passes, int holds) throws Exception {
        boolean gatedForgets = Boolean.parseBoolean(System.getenv("HOLDFAST_BENCH_GATED_FORGETS"));
        RedisServer redis = RedisServer.start();
        LettuceConnectionFactory connections = BenchStores.redisConnections(redis.port());
        try (HikariDataSource dataSource = BenchStores.database("postgresql")) {
            RedisTemporaryStore redisStore = new RedisTemporaryStore(new StringRedisTemplate(connections),
                    Duration.ofHours(1), Duration.ofMillis(500));
            redisStore.warmUp();
            SqlTemporaryStore sqlStore = new SqlTemporaryStore(JdbcClient.create(dataSource),
                    new DataSourceTransactionManager(dataSource), Clock.systemUTC(), Duration.ofHours(1));
            FailbackSync failback = new FailbackSync(redisStore, sqlStore, event -> { });
            fill(sqlStore, holds);
            JdbcClient jdbc = JdbcClient.create(dataSource);
            for (String table : TABLES) {
                jdbc.sql("CREATE TABLE kept_" + table + " AS SELECT * FROM " + table).update();
            }
            List<Failback> results = new ArrayList<>();
            String recordTo = System.getenv("HOLDFAST_BENCH_JFR");
            jdk.jfr.Recording recording = null;
            for (int run = 0; run < passes; run++) {
                if (recordTo != null && run == 1) {
                    // The warm runs only (the fill would be most of a whole run's samples), sampled every ms.
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
                long javaCpu = javaCpuNanos();
                double redisCpu = redisCpuSeconds(redis);
                long start = System.nanoTime();
                FailbackStep.Copy copy = failback.begin();
                int copied = copy.pass(false);
                long bulk = System.nanoTime();
                copied += copy.pass(gatedForgets);
                long gated = System.nanoTime();
                copied += copy.pass(true);
                long end = System.nanoTime();
                javaCpu = javaCpuNanos() - javaCpu;
                redisCpu = redisCpuSeconds(redis) - redisCpu;
                long left = jdbc.sql("SELECT COUNT(*) FROM slot_hold").query(Long.class).single();
                if (copied != holds || left != 0) {
                    throw new IllegalStateException("run " + run + " copied " + copied + ", left " + left);
                }
                String records = redis.cli("EVAL", "return #redis.call('KEYS', 'hf:{h:*}')", "0").trim();
                if (!records.equals(String.valueOf(holds))) {
                    throw new IllegalStateException("run " + run + ": " + records + " records in Redis");
                }
                Failback result = new Failback(copied, (end - start) / 1_000_000, (bulk - start) / 1_000_000,
                        (gated - bulk) / 1_000_000, (end - gated) / 1_000_000, javaCpu / 1_000_000,
                        Math.round(redisCpu * 1000), redisMicros(redis) / holds, load());
                System.out.println("run " + (run + 1) + ": " + result);
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
