package io.holdfast.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A private redis-server process on a spare loopback port, so tests can kill, pause and restart it without
 * touching the machine's shared Redis. Needs the redis-server binary (scripts/test.sh installs it if missing).
 */
public final class RedisServer implements AutoCloseable {

    private final int port;
    private final List<String> extraArgs;
    private final Path dir;
    private Process process;

    private RedisServer(int port, List<String> extraArgs) throws IOException {
        this.port = port;
        this.extraArgs = extraArgs;
        this.dir = Files.createTempDirectory("holdfast-redis-" + port);
        // A JVM that ends without close() (a JMH fork after a failed trial, as seen once; a test run cut short)
        // must not leave its redis-server behind on the machine.
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "redis-server-" + port + "-stop"));
    }

    /** A server on a {@link SparePorts spare port}, so that a test can kill it and start it again on that port. */
    public static RedisServer start(String... extraArgs) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                RedisServer server = new RedisServer(SparePorts.next(), List.of(extraArgs));
                server.launch();
                return server;
            } catch (IOException | IllegalStateException taken) {
                // raced with another process for the port; try another
            }
        }
        throw new IllegalStateException("No free port for a redis-server");
    }

    /** A cluster-enabled node (see {@link RedisCluster}); its port and its cluster bus port (port + 10000) are both free. */
    public static RedisServer startClusterNode() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000);
            if (SparePorts.free(port) && SparePorts.free(port + 10_000)) {
                try {
                    RedisServer server = new RedisServer(port, List.of("--cluster-enabled", "yes",
                            "--cluster-config-file", "nodes-" + port + ".conf",
                            // generous: on a loaded two-core machine a short timeout marks a slow node failed,
                            // and the whole cluster answers CLUSTERDOWN until it recovers
                            "--cluster-node-timeout", "60000"));
                    server.launch();
                    return server;
                } catch (IOException | IllegalStateException taken) {
                    // raced with another process for the port; try another
                }
            }
        }
        throw new IllegalStateException("No free port pair for a Redis Cluster node");
    }

    /**
     * The properties that point a test context at this server, as an ACL user (user:password) unless
     * {@code credentials} is null, on an H2 database of its own: contexts with a private Redis must not share (and
     * re-clean) the schema of the cached contexts of other test classes. {@link PrivateRedis} sets them for a class.
     */
    public Map<String, Object> testProperties(String credentials) {
        String redis = credentials == null ? url() : "redis://" + credentials + "@127.0.0.1:" + port;
        String database = "holdfast-redis-" + port;
        return Map.of("spring.data.redis.url", redis,
                "spring.datasource.url", "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    }

    /** Sets the {@link #testProperties} from a test's {@code @DynamicPropertySource}. */
    public void register(org.springframework.test.context.DynamicPropertyRegistry registry, String credentials) {
        testProperties(credentials).forEach((name, value) -> registry.add(name, () -> value));
    }

    public int port() {
        return port;
    }

    /** A started Lettuce connection factory for this server, with the client's defaults; destroy it when done. */
    public LettuceConnectionFactory connections() {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", port));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: the server dies at once, with whatever it held in memory. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the server again on the same port (empty: nothing is persisted). */
    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot restart redis-server", e);
        }
    }

    /** SIGSTOP: the server stops answering but keeps its connections open (a stalled server). */
    public void pause() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    /** Sends one command through redis-cli and returns its output (for assertions and cluster set-up). */
    public String cli(String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        return run(command);
    }

    public static String run(List<String> command) {
        try {
            Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            cli.waitFor();
            return out.trim();
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(extraArgs);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File(dir.toFile(), "redis.log")).start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited (port taken?); log in " + dir);
            }
            if (ping()) {
                if (!answersAsThisProcess()) {
                    process.destroyForcibly();
                    throw new IllegalStateException("another server answers on port " + port);
                }
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING; log in " + dir);
    }

    private boolean ping() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16];
            int read = in.read(buffer);
            return read > 0 && new String(buffer, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Whether the server answering on the port is the process started here (INFO's process_id), not another. */
    private boolean answersAsThisProcess() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder info = new StringBuilder();
            byte[] buffer = new byte[4096];
            String wanted = "process_id:" + process.pid() + "\r\n";
            int read;
            while (!info.toString().contains("\r\nrun_id:") && (read = in.read(buffer)) > 0) {
                info.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
            }
            return info.toString().contains(wanted);
        } catch (IOException unreadable) {
            return false;
        }
    }

    private void signal(String name) {
        run(List.of("kill", "-" + name, String.valueOf(pid())));
    }
}
