package io.holdfast.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The identity module's per-request work on Redis and on the SQL fallback (PostgreSQL, H2), in one run: the session
 * check every booking request makes (a Redis cache hit against a read of the SQL row), and one request taken from a
 * rate limit (the one-script window on Redis against Bucket4j's select-for-update bucket in SQL). The seed
 * claims "OTP verify 10x faster" on Redis. Each thread checks its own sessions and takes from its own bucket, so
 * this measures the stores, not contention. Run with {@code ./mvnw test-compile exec:exec} (see
 * docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IdentityBenchmark {

    private static final int SESSIONS = 1_000;
    /** Never runs dry during a run: the benchmark measures taking, not refusing. */
    private static final RateLimits.PerWindow ROOMY = RateLimits.perWindow(1_000_000_000, Duration.ofHours(1));

    @Param({"redis", "sql-postgresql", "sql-h2"})
    public String store;

    private final List<String> tokenHashes = new ArrayList<>();
    private RedisServer redis;
    private LettuceConnectionFactory connections;
    private HikariDataSource dataSource;
    private RedisSessionCache cache;
    private SessionTable table;
    private RedisRateLimits redisLimits;
    private SqlBuckets sqlBuckets;

    @Setup(Level.Trial)
    public void start() {
        Instant now = Instant.now();
        GuestSession session = new GuestSession("bench@example.com", now.plus(Duration.ofHours(24)));
        for (int i = 0; i < SESSIONS; i++) {
            tokenHashes.add(IdentityKeys.tokenHash(UUID.randomUUID().toString()));
        }
        if (store.equals("redis")) {
            redis = RedisServer.start();
            connections = BenchStores.redisConnections(redis.port());
            StringRedisTemplate template = new StringRedisTemplate(connections);
            cache = new RedisSessionCache(template);
            tokenHashes.forEach(hash -> cache.fill(hash, session, now));
            redisLimits = new RedisRateLimits(template, Clock.systemUTC());
        } else {
            dataSource = BenchStores.database(store.substring("sql-".length()));
            table = new SessionTable(JdbcClient.create(dataSource));
            tokenHashes.forEach(hash -> table.insert(hash, session, now));
            sqlBuckets = new SqlBuckets(dataSource, RateLimits.timeMeter(Clock.systemUTC()), RateLimits.expiry());
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

    /** One bucket and a walk through the sessions per thread. */
    @State(Scope.Thread)
    public static class Guest {
        final String bucket = "bench:" + UUID.randomUUID();
        int next;
    }

    @Benchmark
    public boolean sessionCheck(Guest guest) {
        String hash = tokenHashes.get(guest.next++ % SESSIONS);
        boolean found = cache != null ? cache.get(hash) instanceof RedisSessionCache.Hit
                : table.find(hash, Instant.now()).isPresent();
        if (!found) {
            throw new IllegalStateException("session not found");
        }
        return found;
    }

    @Benchmark
    public boolean rateLimitTake(Guest guest) {
        boolean taken = redisLimits != null ? redisLimits.take(guest.bucket, ROOMY) == 0
                : sqlBuckets.builder().build(guest.bucket, ROOMY::sqlBucket).tryConsume(1);
        if (!taken) {
            throw new IllegalStateException("bucket ran dry");
        }
        return taken;
    }
}
