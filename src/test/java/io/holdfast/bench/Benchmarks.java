package io.holdfast.bench;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import io.holdfast.hold.FailoverMeasurements;
import io.holdfast.hold.HoldReleaseBenchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs Holdfast's benchmarks and prints their results as Markdown for docs/benchmarks.md:
 * {@code ./mvnw test-compile exec:exec}. Needs Redis (redis-server binary) and PostgreSQL as the test suite does.
 * {@code HOLDFAST_BENCH=identity} (or {@code =store}, {@code =live}, {@code =ops}, {@code =streams}, {@code =pages})
 * runs only the identity (or the temporary-store, the live-update, the operations-endpoint, the heap-per-stream, the
 * booking page in chromium) part; {@code HOLDFAST_BENCH=webhooks} runs the booking latency with webhook receivers
 * that hang or are down, {@code HOLDFAST_BENCH=memory} the Redis memory of 100,000 live holds,
 * {@code HOLDFAST_BENCH=failback} a failback of 10,000 holds pass after pass, by step (these three only when asked
 * for: they are not part of the full run).
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    /** The failover section: each first answer after a kill (sorted), and the failback of the outage's holds. */
    private static String failover(FailoverMeasurements.Result failover) {
        List<Long> millis = failover.firstAnswerAfterKill().stream().map(Duration::toMillis).sorted().toList();
        return "## Failover\n\nFirst request after `kill -9` of Redis, answered from SQL (" + millis.size()
                + " rounds, sorted): " + millis.stream().map(ms -> ms + " ms").collect(Collectors.joining(", "))
                + "\n\nFailback sync of " + failover.copied() + " live holds from PostgreSQL into Redis: "
                + failover.failbackOf10k().toMillis() + " ms\n";
    }

    public static void main(String[] args) throws Exception {
        String only = System.getenv().getOrDefault("HOLDFAST_BENCH", "");
        switch (only) {
            case "identity" -> {
                System.out.println("\n" + identity());
                return;
            }
            case "live" -> {
                System.out.println("\n" + live(LiveMeasurements.run(
                        Integer.parseInt(System.getenv().getOrDefault("HOLDFAST_BENCH_VIEWERS", "1000")),
                        Integer.parseInt(System.getenv().getOrDefault("HOLDFAST_BENCH_EVENTS", "200")))));
                return;
            }
            case "ops" -> {
                System.out.println("\n" + OpsMeasurements.run());
                return;
            }
            case "webhooks" -> {
                System.out.println("\n" + io.holdfast.notification.WebhookBenchmark.run());
                return;
            }
            case "streams" -> {
                System.out.println("\n" + streams());
                return;
            }
            case "pages" -> {
                System.out.println("\n" + PageMeasurements.run(
                        Integer.parseInt(System.getenv().getOrDefault("HOLDFAST_BENCH_TRIES", "50"))));
                return;
            }
            case "failover" -> {
                System.out.println("\n" + failover(FailoverMeasurements.run(
                        Integer.parseInt(System.getenv().getOrDefault("HOLDFAST_BENCH_TRIES", "20")), 10_000)));
                return;
            }
            case "failback" -> {
                io.holdfast.hold.FailbackMeasurement.run(
                        Integer.parseInt(System.getenv().getOrDefault("HOLDFAST_BENCH_PASSES", "6")),
                        Integer.parseInt(System.getenv().getOrDefault("HOLDFAST_BENCH_HOLDS", "10000")));
                return;
            }
            case "memory" -> {
                System.out.println("\n" + holdMemory(io.holdfast.hold.HoldMemoryMeasurement.run(
                        Integer.parseInt(System.getenv().getOrDefault("HOLDFAST_BENCH_HOLDS", "100000")),
                        Boolean.parseBoolean(System.getenv("HOLDFAST_BENCH_EARLIER_FORMS")))));
                return;
            }
            case "", "store" -> {
            }
            default -> throw new IllegalArgumentException(
                    "HOLDFAST_BENCH: identity, store, failover, failback, memory, live, ops, streams, pages, webhooks or empty (all)");
        }
        String identity = only.isEmpty() ? identity() : "";
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(HoldReleaseBenchmark.class.getSimpleName())
                .forks(1)
                .threads(4)
                .warmupIterations(2).warmupTime(TimeValue.seconds(3))
                .measurementIterations(3).measurementTime(TimeValue.seconds(4))
                .build()).run();
        FailoverMeasurements.Result failover = FailoverMeasurements.run(5, 10_000);
        LiveMeasurements.Result live = LiveMeasurements.run(1_000, 200);

        StringBuilder out = new StringBuilder();
        out.append("## Temporary store: hold + release, ").append(LocalDate.now()).append("\n\n");
        out.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", ").append(System.getProperty("os.name"))
                .append(' ').append(System.getProperty("os.arch")).append(". 4 threads, one staff member each.\n\n");
        out.append("| store | hold+release per second | error (99.9%) | vs Redis |\n|---|---|---|---|\n");
        double redis = results.stream().filter(r -> r.getParams().getParam("store").equals("redis"))
                .mapToDouble(r -> r.getPrimaryResult().getScore()).findFirst().orElse(Double.NaN);
        for (RunResult result : results) {
            double score = result.getPrimaryResult().getScore();
            out.append(String.format("| %s | %.0f | ± %.0f | %.2fx |%n", result.getParams().getParam("store"), score,
                    result.getPrimaryResult().getScoreError(), score / redis));
        }
        out.append('\n').append(failover(failover));
        out.append(live(live));
        if (only.isEmpty()) {
            out.append('\n').append(CacheBenchmarks.run());
            out.append('\n').append(OpsMeasurements.run());
            out.append('\n').append(streams());
            out.append('\n').append(PageMeasurements.run(50));
        }
        System.out.println("\n" + out + "\n" + identity);
    }

    /** Session check and rate-limit take, Redis against the SQL fallback (see IdentityBenchmark). */
    private static String identity() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(io.holdfast.identity.IdentityBenchmark.class.getSimpleName())
                .forks(1)
                .threads(4)
                .warmupIterations(2).warmupTime(TimeValue.seconds(3))
                .measurementIterations(3).measurementTime(TimeValue.seconds(4))
                .build()).run();
        StringBuilder out = new StringBuilder("## Identity: session check and rate-limit take, ")
                .append(LocalDate.now()).append("\n\n4 threads, each with its own sessions and bucket.\n\n")
                .append("| operation | store | per second | error (99.9%) | vs Redis |\n|---|---|---|---|---|\n");
        for (String operation : new String[] {"sessionCheck", "rateLimitTake"}) {
            double redis = results.stream().filter(r -> r.getParams().getBenchmark().endsWith(operation)
                    && r.getParams().getParam("store").equals("redis"))
                    .mapToDouble(r -> r.getPrimaryResult().getScore()).findFirst().orElse(Double.NaN);
            for (RunResult result : results) {
                if (result.getParams().getBenchmark().endsWith(operation)) {
                    double score = result.getPrimaryResult().getScore();
                    out.append(String.format("| %s | %s | %.0f | ± %.0f | %.2fx |%n", operation,
                            result.getParams().getParam("store"), score, result.getPrimaryResult().getScoreError(),
                            score / redis));
                }
            }
        }
        return out.toString();
    }

    private static String live(LiveMeasurements.Result live) {
        StringBuilder out = new StringBuilder();
        out.append("\n## Live updates\n\n");
        out.append(String.format(java.util.Locale.ROOT, "Slot events from instance A to %,d viewers of that day on"
                + " instance B and one on A (each server in its own JVM, the viewers in a third process), %d holds one after"
                + " another; every viewer's receipt of every event is one sample (%,d in all):%n%n", live.viewers(),
                live.events(), live.viewers() * live.events()));
        out.append("| ms | all receipts p50 | all receipts p99 | all receipts max | first viewer p50 | first viewer p99"
                + " | last viewer p50 | last viewer p99 |\n|---|---|---|---|---|---|---|---|\n");
        for (var row : List.of(java.util.Map.entry("from the hold request being sent", live.fromRequest()),
                java.util.Map.entry("from the event reaching the viewer on A", live.fromOrigin()),
                java.util.Map.entry("from the hold's answer arriving", live.fromResponse()))) {
            LiveMeasurements.Latencies l = row.getValue();
            out.append(String.format(java.util.Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                    row.getKey(), l.p50(), l.p99(), l.max(), l.firstP50(), l.firstP99(), l.lastP50(), l.lastP99()));
        }
        LiveMeasurements.Cpu cpu = live.cpuOfB();
        out.append(String.format(java.util.Locale.ROOT, "%nInstance B's CPU time per event (ms, over the measured events):"
                + " process %.2f, stream writers %.2f, Redis listener (lettuce, redis-messages) %.2f; load average (1 min)"
                + " %.2f at the first measured event, %.2f after the last%n", cpu.process(), cpu.writers(), cpu.redis(),
                cpu.loadBefore(), cpu.loadAfter()));
        out.append("\n| endpoint (8 clients, 8 s) | requests per second | p50 ms | p99 ms | errors | vs no-op |\n"
                + "|---|---|---|---|---|---|\n");
        for (HttpLoad.Result result : java.util.List.of(live.poll(), live.noOp())) {
            out.append(String.format("| %s | %.0f | %.2f | %.2f | %d | %.2fx |%n", result.name(), result.perSecond(),
                    result.p50Millis(), result.p99Millis(), result.failures(), result.perSecond() / live.noOp().perSecond()));
        }
        return out.toString();
    }

    /** Memory per idle stream: {@code HOLDFAST_BENCH_STREAMS} streams (10,000), {@code HOLDFAST_BENCH_HEAP} (1g). */
    private static String streams() throws Exception {
        return StreamHeapMeasurement.markdown(StreamHeapMeasurement.run(
                Integer.parseInt(System.getenv().getOrDefault("HOLDFAST_BENCH_STREAMS", "10000")),
                System.getenv().getOrDefault("HOLDFAST_BENCH_HEAP", "1g")));
    }

    /** Redis memory for many live holds, and what one hold's keys take (see HoldMemoryMeasurement). */
    private static String holdMemory(io.holdfast.hold.HoldMemoryMeasurement.Result result) {
        StringBuilder out = new StringBuilder(String.format("## Redis memory for %,d live holds%n%n"
                + "Redis %s, `used_memory` %,d bytes before and %,d after (%,d keys): %.1f MB, %,d bytes per hold.%n%n"
                + "| one hold's keys | bytes (`MEMORY USAGE`) |%n|---|---|%n", result.holds(), result.redisVersion(),
                result.usedBefore(), result.usedAfter(), result.keys(),
                (result.usedAfter() - result.usedBefore()) / 1e6, result.bytesPerHold()));
        result.perKind().forEach((kind, bytes) -> out.append(String.format("| %s | %,d |%n", kind, bytes)));
        return out.toString();
    }

    static String format(Duration duration) {
        return duration.toMillis() + " ms";
    }
}
