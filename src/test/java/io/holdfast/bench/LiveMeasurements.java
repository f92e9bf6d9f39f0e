package io.holdfast.bench;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.RedisServer;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Live updates, measured on two Holdfast servers, each in a JVM of its own ({@link ServerProcess}), sharing a private
 * Redis and a PostgreSQL schema ({@code <HOLDFAST_TEST_SCHEMA>_bench_live}, dropped first): holds are made one after
 * another on instance A while {@code viewers} streams of that day are open on instance B and one on A, all read by
 * this process on one thread ({@link RawStreams}); every viewer's receipt of every event is timed (see
 * {@link Result} for from when). Then the throughput of an unchanged heartbeat poll against a no-op endpoint of B. Part of
 * {@link Benchmarks} ({@code HOLDFAST_BENCH=live}); {@code HOLDFAST_BENCH_JFR=<file.jfc>} records B with those JFR
 * settings into {@code target/live-b.jfr}; {@code HOLDFAST_BENCH_JVM_B} adds JVM options to B alone (space-separated,
 * e.g. {@code -agentpath:<libasyncProfiler.so>=start,event=cpu,interval=1ms,file=target/live-b.collapsed,collapsed,threads}).
 */
final class LiveMeasurements {

    /** Events before the measured ones: the JIT compiles the delivery path meanwhile. */
    private static final int WARM_UP = 30;
    private static final Duration PAUSE = Duration.ofMillis(20);

    /** The no-op endpoint the poll is compared with: the same server, filters and HTTP path, no work. */
    @RestController
    static class NoOp {
        @GetMapping("/bench/no-op")
        ResponseEntity<Void> noOp() {
            return ResponseEntity.noContent().build();
        }
    }

    /** Latencies in ms: over every viewer's receipt of every event, of each event's first and last viewer. */
    record Latencies(double p50, double p99, double max, double firstP50, double firstP99, double lastP50,
            double lastP99) {
    }

    /**
     * From three moments: the hold request being sent; the event reaching the one viewer on A (the instance delivers
     * to its own streams just before it publishes to the others, so this is when the event left A); the hold's
     * answer arriving (after the publication: a lower bound).
     */
    record Result(int viewers, int events, Latencies fromRequest, Latencies fromOrigin, Latencies fromResponse,
            Cpu cpuOfB, HttpLoad.Result poll, HttpLoad.Result noOp) {
    }

    /**
     * Instance B's CPU time (user + system, from /proc, in 10 ms ticks) over the measured events, per event, in ms: the
     * whole process, its stream writers and its Redis listener threads; with the load average (1 min) at the start
     * and end of the measured events. CPU time is what a loaded machine does not blur: latency is also the wait for
     * a core, CPU time is not.
     */
    record Cpu(double process, double writers, double redis, double loadBefore, double loadAfter) {
    }

    /** Each viewer's receipt of one event (by its id), counted on the streams' thread. */
    private static final class Receipts {
        final long[] nanos;
        int count;

        Receipts(int viewers) {
            nanos = new long[viewers];
        }
    }

    private LiveMeasurements() {
    }

    static Result run(int viewers, int events) throws Exception {
        String schema = BenchStores.SCHEMA + "_live";
        OpsMeasurements.dropSchemas(schema);
        List<String> jvm = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");
        try (RedisServer redis = RedisServer.start()) {
            String[] shared = {"--spring.data.redis.url=" + redis.url(),
                    "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema,
                    "--spring.datasource.username=postgres", "--spring.flyway.schemas=" + schema,
                    "--spring.data.redis.timeout=2s", "--holdfast.live.max-streams-per-ip=" + (2 * viewers),
                    "--holdfast.hold.max-slots-per-client=100000", "--holdfast.hold.max-slots-per-address=1000000",
                    "--holdfast.hold.requests-per-address=100000000", "--logging.level.root=WARN",
                    "--spring.main.sources=" + NoOp.class.getName()};
            List<String> jvmB = new ArrayList<>(jvm);
            String jfr = System.getenv("HOLDFAST_BENCH_JFR");
            if (jfr != null && !jfr.isBlank()) {
                jvmB.add("-XX:StartFlightRecording=filename=target/live-b.jfr,settings=" + jfr);
            }
            String extra = System.getenv("HOLDFAST_BENCH_JVM_B");
            if (extra != null && !extra.isBlank()) {
                jvmB.addAll(List.of(extra.trim().split("\\s+")));
            }
            try (ServerProcess a = ServerProcess.start(jvm, true, shared);
                    ServerProcess b = ServerProcess.start(jvmB, true, shared)) {
                Fixtures fixtures = a.fixtures();
                var salon = fixtures.salon("Europe/Berlin", 5, 5, 0, 0, "00:00", "23:55");
                LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
                String path = "/api/v1/live/stream?staffId=" + salon.staffId() + "&date=" + day;

                Map<String, Receipts> byId = new ConcurrentHashMap<>();
                BlockingQueue<Receipts> complete = new LinkedBlockingQueue<>();
                try (RawStreams streams = RawStreams.start((stream, name, id, nanos) -> {
                    if (name.equals("slot")) {
                        Receipts receipts = byId.computeIfAbsent(id, key -> new Receipts(viewers + 1));
                        receipts.nanos[stream] = nanos;
                        if (++receipts.count == viewers + 1) {
                            complete.add(receipts);
                        }
                    }
                })) {
                    streams.open(b.port(), path, viewers, 100, Duration.ofSeconds(60));
                    streams.open(a.port(), path, 1, 1, Duration.ofSeconds(60)); // stream number `viewers`: on A
                    awaitSubscribed(redis, "hf:slots:" + day + ":" + salon.staffId());
                    String client = Fixtures.clientId();
                    double[] fromRequest = new double[events * viewers];
                    double[] fromOrigin = new double[events * viewers];
                    double[] fromResponse = new double[events * viewers];
                    double[][] firstAndLast = new double[6][events];
                    Map<String, Long> cpuBefore = null;
                    double loadBefore = 0;
                    for (int i = 0; i < WARM_UP + events; i++) {
                        if (i == WARM_UP) {
                            cpuBefore = cpuTicks(b.pid());
                            loadBefore = load();
                        }
                        int minutes = 5 * i;
                        long sent = System.nanoTime();
                        Api.Response hold = fixtures.hold(client, salon.staffId(), salon.serviceId(),
                                salon.start(day, String.format("%02d:%02d", minutes / 60, minutes % 60)));
                        long answered = System.nanoTime();
                        if (hold.status() != 201) {
                            throw new IllegalStateException("hold refused: " + hold);
                        }
                        Receipts receipts = complete.poll(30, TimeUnit.SECONDS);
                        if (receipts == null) {
                            throw new IllegalStateException("event " + i + " did not reach all " + viewers
                                    + " viewers within 30 s (" + streams.ended() + " streams ended)");
                        }
                        if (i >= WARM_UP) {
                            int event = i - WARM_UP;
                            long origin = receipts.nanos[viewers];
                            long first = Long.MAX_VALUE;
                            long last = Long.MIN_VALUE;
                            for (int viewer = 0; viewer < viewers; viewer++) {
                                long at = receipts.nanos[viewer];
                                fromRequest[event * viewers + viewer] = (at - sent) / 1e6;
                                fromOrigin[event * viewers + viewer] = (at - origin) / 1e6;
                                fromResponse[event * viewers + viewer] = (at - answered) / 1e6;
                                first = Math.min(first, at);
                                last = Math.max(last, at);
                            }
                            long[] from = {sent, origin, answered};
                            for (int k = 0; k < 3; k++) {
                                firstAndLast[2 * k][event] = (first - from[k]) / 1e6;
                                firstAndLast[2 * k + 1][event] = (last - from[k]) / 1e6;
                            }
                        }
                        Thread.sleep(PAUSE.toMillis());
                    }
                    Map<String, Long> cpuAfter = cpuTicks(b.pid());
                    double loadAfter = load();
                    Map<String, Long> start = cpuBefore;
                    java.util.function.ToDoubleFunction<String> perEvent =
                            group -> (cpuAfter.getOrDefault(group, 0L) - start.getOrDefault(group, 0L)) * 10.0 / events;
                    Cpu cpu = new Cpu(perEvent.applyAsDouble("process"), perEvent.applyAsDouble("writers"),
                            perEvent.applyAsDouble("redis"), loadBefore, loadAfter);
                    if (streams.open() - streams.ended() != viewers + 1) {
                        throw new IllegalStateException(streams.ended() + " streams ended during the run");
                    }
                    Latencies request = latencies(fromRequest, firstAndLast[0], firstAndLast[1]);
                    Latencies origin = latencies(fromOrigin, firstAndLast[2], firstAndLast[3]);
                    Latencies response = latencies(fromResponse, firstAndLast[4], firstAndLast[5]);

                    String poll = b.url("/api/v1/live/poll?staffId=" + salon.staffId() + "&date=" + day);
                    long version = b.api().get(poll.substring(poll.indexOf("/api"))).json().get("version").asLong();
                    String unchanged = poll + "&since=" + version;
                    String noOp = b.url("/bench/no-op");
                    HttpLoad.run("warm-up", 8, Duration.ofSeconds(3), 1_000_000, n -> HttpLoad.Call.get(unchanged));
                    HttpLoad.run("warm-up", 8, Duration.ofSeconds(3), 1_000_000, n -> HttpLoad.Call.get(noOp));
                    HttpLoad.Result polls = HttpLoad.run("unchanged poll", 8, Duration.ofSeconds(8), 1_000_000,
                            n -> HttpLoad.Call.get(unchanged));
                    HttpLoad.Result noOps = HttpLoad.run("no-op endpoint", 8, Duration.ofSeconds(8), 1_000_000,
                            n -> HttpLoad.Call.get(noOp));
                    return new Result(viewers, events, request, origin, response, cpu, polls, noOps);
                }
            }
        }
    }

    /** Waits until both instances' relays have subscribed to the day's channel (they do so in the background). */
    private static void awaitSubscribed(RedisServer redis, String channel) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            String[] answer = redis.cli("PUBSUB", "NUMSUB", channel).strip().split("\\s+");
            if (Integer.parseInt(answer[answer.length - 1]) >= 2) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the instances did not both subscribe to " + channel);
    }

    /** CPU ticks of a process's threads (/proc/<pid>/task/<tid>/stat), summed: all, stream writers, Redis listener. */
    private static Map<String, Long> cpuTicks(long pid) throws java.io.IOException {
        Map<String, Long> ticks = new java.util.HashMap<>();
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc", Long.toString(pid), "task"))) {
            for (java.nio.file.Path task : tasks.toList()) {
                String stat;
                try {
                    stat = java.nio.file.Files.readString(task.resolve("stat"));
                } catch (java.nio.file.NoSuchFileException ended) {
                    continue; // the thread ended meanwhile; its time is in neither reading
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                ticks.merge("process", used, Long::sum);
                if (name.startsWith("live-stream-wri")) {
                    ticks.merge("writers", used, Long::sum);
                } else if (name.startsWith("redis-messages") || name.startsWith("lettuce-")) {
                    ticks.merge("redis", used, Long::sum);
                }
            }
        }
        return ticks;
    }

    private static double load() throws java.io.IOException {
        return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
    }

    private static Latencies latencies(double[] all, double[] first, double[] last) {
        double[] sorted = all.clone();
        Arrays.sort(sorted);
        return new Latencies(percentile(sorted, 0.5), percentile(sorted, 0.99), sorted[sorted.length - 1],
                percentile(first, 0.5), percentile(first, 0.99), percentile(last, 0.5), percentile(last, 0.99));
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
