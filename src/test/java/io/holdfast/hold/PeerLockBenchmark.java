package io.holdfast.hold;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import io.holdfast.bench.BenchStores;
import io.holdfast.support.RedisServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * Issue #13: Holdfast's hold primitive against two well-known Redis locks, on the same Redis, in one run. Each
 * operation takes and gives back one lock: Holdfast's hold + release of a 30-minute slot (6 granules: reserve,
 * lease every granule, record; then release) exactly as the server calls the store, Redisson's
 * {@code RLock.tryLock(0, 30 s)} + {@code unlock()}, and Spring Integration's {@code RedisLockRegistry}
 * {@code obtain(key).tryLock()} + {@code unlock()}. Every thread works on its own key (its own staff member), so
 * this measures the primitive, not contention. The goal: Holdfast ≥ 5× each peer at 1, 8 and 64 threads.
 *
 * <p>Run: {@code ./mvnw test-compile exec:exec -Dbench.main=io.holdfast.bench.PeerLocks} (all three at 1, 8, 64
 * threads; scripts/bench runs it). It uses the Redis on {@code 127.0.0.1:$HOLDFAST_BENCH_REDIS_PORT} when that
 * variable is set (scripts/bench's private server), else starts a private redis-server of its own per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PeerLockBenchmark {

    /**
     * Every client's command timeout. The server's is 500 ms, but on a loaded 2-core machine a stall past it ends a
     * JMH trial (Holdfast's store refuses a write that reaches Redis after its deadline; RedisLockRegistry's unlock
     * times out), so all three get the 2 s the test contexts use.
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Param({"holdfast", "redisson", "redis-lock-registry"})
    public String lock;

    private RedisServer ownRedis;
    private LettuceConnectionFactory connections;
    private TemporaryStore store;
    private RedissonClient redisson;
    private RedisLockRegistry registry;

    @Setup(Level.Trial)
    public void start() {
        String given = System.getenv("HOLDFAST_BENCH_REDIS_PORT");
        int port;
        if (given == null || given.isBlank()) {
            ownRedis = RedisServer.start();
            port = ownRedis.port();
        } else {
            port = Integer.parseInt(given);
        }
        switch (lock) {
            case "holdfast" -> {
                connections = BenchStores.redisConnections(port, TIMEOUT);
                store = HoldStores.redis(connections, TIMEOUT);
            }
            case "redisson" -> {
                Config config = new Config();
                // Pool as large as the most threads measured, so no thread waits for a connection.
                config.useSingleServer().setAddress("redis://127.0.0.1:" + port)
                        .setConnectionPoolSize(64).setConnectionMinimumIdleSize(64).setTimeout((int) TIMEOUT.toMillis());
                redisson = Redisson.create(config);
            }
            case "redis-lock-registry" -> {
                // The same Lettuce client settings as Holdfast's here (BenchStores.redisConnections).
                connections = BenchStores.redisConnections(port, TIMEOUT);
                registry = new RedisLockRegistry(connections, "peer-" + UUID.randomUUID(), 30_000);
                // Its first unlock probes Redis 8's DELEX ... IFEQ and, on an older server, switches the registry to
                // its Lua script for good. Done by 64 threads at once, the probe failed a trial ("ERR unknown command
                // 'DELEX'") in two runs of scripts/bench; once here, before the threads start, it is not measured.
                Lock probe = registry.obtain("peer-probe-" + UUID.randomUUID());
                if (!probe.tryLock()) {
                    throw new IllegalStateException("RedisLockRegistry refused its probe lock");
                }
                probe.unlock();
            }
            default -> throw new IllegalArgumentException(lock);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (registry != null) {
            registry.destroy();
        }
        if (redisson != null) {
            redisson.shutdown();
        }
        if (connections != null) {
            connections.destroy();
        }
        if (ownRedis != null) {
            ownRedis.close();
        }
    }

    /** One key (staff member) per thread; Holdfast walks through that staff member's day slot by slot. */
    @State(Scope.Thread)
    public static class Client extends SlotWalk {
        final String key = "peer-lock-" + staffId;

        public Client() {
            super("peer-");
        }
    }

    @Benchmark
    public boolean lockThenUnlock(Client client) throws InterruptedException {
        switch (lock) {
            case "holdfast" -> {
                return client.holdThenRelease(store);
            }
            case "redisson" -> {
                RLock rLock = redisson.getLock(client.key);
                if (!rLock.tryLock(0, 30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("Redisson lock refused: " + client.key);
                }
                rLock.unlock();
                return true;
            }
            default -> {
                Lock registryLock = registry.obtain(client.key);
                if (!registryLock.tryLock()) {
                    throw new IllegalStateException("RedisLockRegistry lock refused: " + client.key);
                }
                registryLock.unlock();
                return true;
            }
        }
    }
}
