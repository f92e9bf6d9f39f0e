package io.holdfast.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;

/**
 * A Holdfast server in a JVM of its own, started as a child process, so that what a measurement's clients cost
 * (their heap, threads and CPU) is not counted as the server's. The child gets the benchmark's class path, with or
 * without the test classes (only a measurement that needs a test endpoint, like {@link LiveMeasurements.NoOp},
 * takes them), and runs under {@code ulimit -n} of {@link #FILES} (a stream is a file descriptor).
 */
final class ServerProcess implements AutoCloseable {

    /** The file-descriptor limit of the server's process: room for 10,000 streams and everything else. */
    static final int FILES = 65_536;

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a server and waits until it answers its health endpoint.
     *
     * @param jvm         JVM options, e.g. {@code -Xmx1g}
     * @param testClasses whether the test classes are on its class path
     * @param properties  Spring properties like {@code --spring.data.redis.url=...}
     */
    static ServerProcess start(List<String> jvm, boolean testClasses, String... properties)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = Files.createTempFile("holdfast-server-" + port, ".log");
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> testClasses || !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> java = new ArrayList<>(List.of(javaTool("java")));
        java.addAll(jvm);
        java.addAll(List.of("-cp", classpath, "io.holdfast.HoldfastApplication", "--server.port=" + port,
                "--holdfast.demo-data=false", "--holdfast.admin.token=" + ServerTest.ADMIN_TOKEN));
        java.addAll(List.of(properties));
        // exec: the shell becomes the JVM, so the process's pid is the JVM's (jcmd needs it)
        String command = "ulimit -n " + FILES + " 2>/dev/null || ulimit -n $(ulimit -Hn); exec "
                + java.stream().map(ServerProcess::quoted).collect(Collectors.joining(" "));
        Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(process, port, log);
        try {
            server.awaitHealthy();
        } catch (RuntimeException | InterruptedException failed) {
            server.close();
            throw failed;
        }
        return server;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    Api api() {
        return new Api("http://127.0.0.1:" + port, ServerTest.ADMIN_TOKEN);
    }

    Fixtures fixtures() {
        return new Fixtures(api());
    }

    /** Runs {@code jcmd <pid> <command...>} and returns its output. */
    String jcmd(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(javaTool("jcmd"), Long.toString(process.pid())));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(120, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    /** The process's resident set ({@code VmRSS} of /proc), in KB. */
    long residentKb() throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:")).map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong).findFirst().orElseThrow();
    }

    /** Its open file descriptors' limit as the kernel applies it. */
    String fileLimit() throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "limits")).stream()
                .filter(line -> line.startsWith("Max open files")).findFirst().orElse("?").replaceAll("\\s+", " ");
    }

    private void awaitHealthy() throws InterruptedException {
        Api api = api();
        long deadline = System.currentTimeMillis() + 300_000;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            try {
                if (api.get("/api/v1/health").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server process did not become healthy within 300 s: " + logText());
    }

    private String logText() {
        try {
            return Files.readString(log);
        } catch (IOException unreadable) {
            return "(log " + log + " unreadable: " + unreadable.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static String javaTool(String name) {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + name;
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
