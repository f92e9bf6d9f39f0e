package io.holdfast.bench;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory per idle event stream (issue #15, finding 3, and issue #13), the figure {@code live/StreamCap} budgets
 * with. The server runs in a JVM of its own ({@link ServerProcess}: main classes only, under a raised
 * {@code ulimit -n}, with native memory tracking), the streams are raw sockets of this process ({@link RawStreams}),
 * so the clients' memory is not counted. With 100 streams open (warm-up: the first streams load classes and fill
 * pools that stay whatever the number of streams) and again with {@code streams} more, it reads: the used heap
 * after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), the class histogram of live objects
 * ({@code GC.class_histogram}), the native memory summary ({@code VM.native_memory summary}) and the resident set.
 * Part of {@link Benchmarks} ({@code HOLDFAST_BENCH=streams}; {@code HOLDFAST_BENCH_STREAMS=<n>} streams, 10,000 by
 * default; {@code HOLDFAST_BENCH_HEAP=<size>} the server's -Xmx, 1g by default).
 */
final class StreamHeapMeasurement {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final Pattern HISTOGRAM = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
    private static final Pattern NATIVE = Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern NATIVE_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final int WARM_UP = 100;

    /** What the server's process holds at one moment. */
    record Snapshot(long usedHeapKb, long residentKb, Map<String, Long> nativeCommittedKb,
            Map<String, long[]> histogram) {
    }

    /** One class's growth between the snapshots: instances and bytes. */
    record Growth(String type, long instances, long bytes) {
    }

    record Result(int streams, String heap, String fileLimit, Snapshot baseline, Snapshot with) {

        double kbPerStream() {
            return (with.usedHeapKb() - baseline.usedHeapKb()) / (double) streams;
        }

        double residentKbPerStream() {
            return (with.residentKb() - baseline.residentKb()) / (double) streams;
        }

        /** The classes whose live objects grew most, by bytes. */
        List<Growth> largestGrowth(int count) {
            List<Growth> growth = new ArrayList<>();
            with.histogram().forEach((type, now) -> {
                long[] before = baseline.histogram().getOrDefault(type, new long[2]);
                growth.add(new Growth(type, now[0] - before[0], now[1] - before[1]));
            });
            growth.sort(Comparator.comparingLong(Growth::bytes).reversed());
            return growth.subList(0, Math.min(count, growth.size()));
        }
    }

    private StreamHeapMeasurement() {
    }

    static Result run(int streams, String heap) throws Exception {
        List<String> jvm = List.of("-Xmx" + heap, "-XX:+UseG1GC", "-XX:NativeMemoryTracking=summary");
        try (ServerProcess server = ServerProcess.start(jvm, false,
                "--spring.datasource.url=jdbc:h2:mem:bench-streams;DB_CLOSE_DELAY=-1",
                "--holdfast.live.max-streams-per-ip=" + (2 * streams),
                // room for the streams: at most three quarters of the connections may be streams (StreamCap)
                "--server.tomcat.max-connections=" + Math.max(8192, 2 * (streams + WARM_UP)),
                "--logging.level.root=WARN");
                RawStreams open = RawStreams.start((stream, name, id, nanos) -> { })) {
            var salon = server.fixtures().salon();
            String path = "/api/v1/live/stream?staffId=" + salon.staffId() + "&date="
                    + LocalDate.now(salon.zone()).plusDays(1);
            open.open(server.port(), path, WARM_UP, 50, Duration.ofSeconds(60));
            Thread.sleep(1_000);
            Snapshot baseline = snapshot(server);
            open.open(server.port(), path, streams, 100, Duration.ofSeconds(120));
            Thread.sleep(1_000);
            Snapshot with = snapshot(server);
            if (open.open() - open.ended() != WARM_UP + streams) {
                throw new IllegalStateException(open.ended() + " streams ended during the measurement");
            }
            return new Result(streams, "-Xmx" + heap, server.fileLimit(), baseline, with);
        }
    }

    private static Snapshot snapshot(ServerProcess server) throws IOException, InterruptedException {
        server.jcmd("GC.run");
        Matcher used = USED.matcher(server.jcmd("GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("no 'used' figure in GC.heap_info");
        }
        Map<String, long[]> histogram = new LinkedHashMap<>();
        for (String line : server.jcmd("GC.class_histogram").split("\n")) {
            Matcher row = HISTOGRAM.matcher(line);
            if (row.matches()) {
                histogram.merge(row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        Map<String, Long> nativeKb = new LinkedHashMap<>();
        for (String line : server.jcmd("VM.native_memory", "summary").split("\n")) {
            Matcher total = NATIVE_TOTAL.matcher(line);
            Matcher area = NATIVE.matcher(line.strip());
            if (total.find()) {
                nativeKb.put("Total", Long.parseLong(total.group(2)));
            } else if (area.find()) {
                nativeKb.put(area.group(1), Long.parseLong(area.group(3)));
            }
        }
        return new Snapshot(Long.parseLong(used.group(1)), server.residentKb(), nativeKb, histogram);
    }

    /** The result as docs/benchmarks.md's tables. */
    static String markdown(Result result) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "## Memory per idle event stream%n%n"
                + "Server in its own JVM (%s, G1, native memory tracking; %s), %,d streams from another process:%n%n"
                + "| | %,d streams (warm-up) | %,d streams | per idle stream |%n|---|---|---|---|%n", result.heap(),
                result.fileLimit(), WARM_UP, WARM_UP, WARM_UP + result.streams()));
        out.append(String.format(Locale.ROOT, "| used heap after a full GC | %,d KB | %,d KB | %.1f KB |%n",
                result.baseline().usedHeapKb(), result.with().usedHeapKb(), result.kbPerStream()));
        out.append(String.format(Locale.ROOT, "| resident set (VmRSS) | %,d KB | %,d KB | %.1f KB |%n",
                result.baseline().residentKb(), result.with().residentKb(), result.residentKbPerStream()));
        result.with().nativeCommittedKb().forEach((area, kb) -> {
            long before = result.baseline().nativeCommittedKb().getOrDefault(area, 0L);
            if (area.equals("Total") || Math.abs(kb - before) >= 1024) {
                out.append(String.format(Locale.ROOT, "| native memory committed: %s | %,d KB | %,d KB | %.1f KB |%n",
                        area, before, kb, (kb - before) / (double) result.streams()));
            }
        });
        out.append(String.format(Locale.ROOT, "%nLive objects that grew most (class histogram, %,d streams more):%n%n"
                + "| class | instances per stream | bytes per stream |%n|---|---|---|%n", result.streams()));
        for (Growth growth : result.largestGrowth(25)) {
            out.append(String.format(Locale.ROOT, "| `%s` | %.2f | %,.0f |%n", growth.type(),
                    growth.instances() / (double) result.streams(), growth.bytes() / (double) result.streams()));
        }
        return out.toString();
    }
}
