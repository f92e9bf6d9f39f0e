package io.holdfast.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import io.holdfast.support.SseClient;

/**
 * Heap per idle event stream (issue #15, finding 3), the figure {@code live/StreamCap} budgets with. The server runs
 * in a JVM of its own (the main classes only, not the tests), so the clients' heap is not counted: its used heap
 * after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}) is read with some streams open and again with
 * {@code streams} more, and the difference is divided by {@code streams}. Part of {@link Benchmarks}
 * ({@code HOLDFAST_BENCH=streams}).
 */
final class StreamHeapMeasurement {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    record Result(int streams, long baselineKb, long withStreamsKb, String heap) {
        double kbPerStream() {
            return (withStreamsKb - baselineKb) / (double) streams;
        }
    }

    private StreamHeapMeasurement() {
    }

    static Result run(int streams) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String heap = "-Xmx1g";
        java.nio.file.Path log = java.nio.file.Files.createTempFile("holdfast-stream-heap", ".log");
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
        Process server = new ProcessBuilder(javaTool("java"), heap, "-cp", classpath, "io.holdfast.HoldfastApplication",
                "--server.port=" + port, "--holdfast.demo-data=false", "--holdfast.admin.token=" + ServerTest.ADMIN_TOKEN,
                "--spring.datasource.url=jdbc:h2:mem:bench-streams;DB_CLOSE_DELAY=-1",
                "--holdfast.live.max-streams-per-ip=" + (2 * streams), "--logging.level.root=WARN")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<SseClient> open = new ArrayList<>();
        try {
            Api api = new Api("http://127.0.0.1:" + port, ServerTest.ADMIN_TOKEN);
            awaitHealthy(api, server, log);
            var salon = new Fixtures(api).salon();
            String url = "http://127.0.0.1:" + port + "/api/v1/live/stream?staffId=" + salon.staffId() + "&date="
                    + LocalDate.now(salon.zone()).plusDays(1);
            // Warm-up: the first streams load classes and fill pools that stay whatever the number of streams.
            open(url, 100, open);
            Thread.sleep(1_000);
            long baseline = usedAfterGc(server);
            open(url, streams, open);
            Thread.sleep(1_000);
            long with = usedAfterGc(server);
            return new Result(streams, baseline, with, heap);
        } finally {
            open.forEach(SseClient::close);
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** Opens streams 50 at a time, so that the connections wait in no accept queue (loaded machines time out). */
    private static void open(String url, int count, List<SseClient> into) throws Exception {
        for (int opened = 0; opened < count; opened += 50) {
            List<SseClient> batch = new ArrayList<>();
            for (int i = opened; i < Math.min(count, opened + 50); i++) {
                batch.add(SseClient.open(url));
            }
            into.addAll(batch);
            for (SseClient stream : batch) {
                int status = stream.awaitStatus(Duration.ofSeconds(60));
                if (status != 200) {
                    throw new IllegalStateException("stream refused: " + status);
                }
            }
        }
    }

    private static void awaitHealthy(Api api, Process server, java.nio.file.Path log)
            throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + 300_000;
        while (System.currentTimeMillis() < deadline && server.isAlive()) {
            try {
                if (api.get("/api/v1/health").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server process did not become healthy within 300 s: "
                + java.nio.file.Files.readString(log));
    }

    private static long usedAfterGc(Process server) throws IOException, InterruptedException {
        jcmd(server, "GC.run");
        String info = jcmd(server, "GC.heap_info");
        Matcher used = USED.matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("no 'used' figure in GC.heap_info: " + info);
        }
        return Long.parseLong(used.group(1));
    }

    private static String jcmd(Process server, String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(javaTool("jcmd"), Long.toString(server.pid()), command)
                .redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + output);
        }
        return output;
    }

    private static String javaTool(String name) {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + name;
    }
}
