package io.holdfast.hold;

import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
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
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Hold then release one 30-minute slot (6 granules), the temporary store's hot path, on Redis and on the SQL
 * fallback (PostgreSQL and H2) in one run, so the ratio is measured on one machine under one load. The seeds
 * claim Redis locks are "15x faster" than MySQL ones. Each thread works on its own staff member, so the numbers
 * measure the store, not contention. Run with {@code ./mvnw test-compile exec:exec} (see docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HoldReleaseBenchmark {

    @Param({"redis", "sql-postgresql", "sql-h2"})
    public String store;

    private TemporaryStore target;
    private RedisServer redis;
    private LettuceConnectionFactory connections;
    private HikariDataSource dataSource;

    @Setup(Level.Trial)
    public void start() {
        if (store.equals("redis")) {
            redis = RedisServer.start();
            connections = BenchStores.redisConnections(redis.port());
            target = HoldStores.redis(connections);
        } else {
            dataSource = BenchStores.database(store.substring("sql-".length()));
            target = HoldStores.sql(dataSource);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (connections != null) {
            connections.destroy();
            redis.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }

    /** One staff member per thread, walking through its day slot by slot. */
    @State(Scope.Thread)
    public static class Client extends SlotWalk {
        public Client() {
            super("bench-");
        }
    }

    @Benchmark
    public boolean holdThenRelease(Client client) {
        return client.holdThenRelease(target);
    }
}
