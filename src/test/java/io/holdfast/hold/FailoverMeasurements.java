package io.holdfast.hold;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.holdfast.availability.Occupancy;
import io.holdfast.bench.BenchStores;
import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.RedisFirstSupport;
import io.holdfast.redis.StorageMode;
import io.holdfast.support.RedisServer;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The failover numbers of the seeds' promises, measured on real servers: how long the first request after Redis is
 * killed takes to be answered (from SQL), and how long the failback sync takes for 10,000 live holds written to SQL
 * during an outage. Part of {@code io.holdfast.bench.Benchmarks}; here, in the package it measures, because it builds the stores by hand.
 */
public final class FailoverMeasurements {

    public record Result(List<Duration> firstAnswerAfterKill, Duration failbackOf10k, int copied) {
    }

    public static Result run(int rounds, int holds) throws Exception {
        RedisServer redis = RedisServer.start();
        LettuceConnectionFactory connections = BenchStores.redisConnections(redis.port());
        try (HikariDataSource dataSource = BenchStores.database("postgresql")) {
            RedisTemporaryStore redisStore = HoldStores.redis(connections);
            SqlTemporaryStore sqlStore = HoldStores.sql(dataSource);
            RedisFirst mode = RedisFirstSupport.withRedis(event -> { });
            FailoverTemporaryStore router = new FailoverTemporaryStore(redisStore, sqlStore, mode);
            FailbackSync failback = new FailbackSync(redisStore, sqlStore, event -> { });
            mode.whenFailingBack(failback);

            waitForRedis(redisStore); // a connected client, as in a running server
            List<Duration> firstAnswers = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                hold(router, 1, round * 10);
                if (router.mode() != StorageMode.REDIS) {
                    throw new IllegalStateException("expected Redis mode before the kill");
                }
                redis.kill();
                long start = System.nanoTime();
                HoldOutcome outcome = hold(router, 1, round * 10 + 1);
                firstAnswers.add(Duration.ofNanos(System.nanoTime() - start));
                if (outcome.kind() != HoldOutcome.Kind.CREATED || router.mode() != StorageMode.SQL) {
                    throw new IllegalStateException("first request after the kill was not served by SQL");
                }
                redis.restart();
                waitForRedis(redisStore);
                RedisFirstSupport.syncAndSwitch(mode, BenchStores.template(connections));
            }

            redis.kill();
            for (int i = 0; i < holds; i++) {
                hold(router, 1000 + i / 40, i % 40);
            }
            redis.restart();
            waitForRedis(redisStore);
            long start = System.nanoTime();
            FailbackSync.Report report = failback.pass();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            return new Result(firstAnswers, took, report.holds());
        } finally {
            connections.destroy();
            redis.close();
        }
    }

    private static HoldOutcome hold(FailoverTemporaryStore router, long staffId, int slot) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(2))
                .plus(Duration.ofMinutes(30L * slot));
        HoldItem item = new HoldItem(staffId, 1, start, start.plus(Duration.ofMinutes(30)),
                new Occupancy(start, start.plus(Duration.ofMinutes(30))));
        return router.hold(new LeaseRequest(UUID.randomUUID(), "bench-" + UUID.randomUUID(), "token",
                Instant.now().truncatedTo(ChronoUnit.MILLIS), List.of(item)), Duration.ofMinutes(10), 3);
    }

    private static void waitForRedis(RedisTemporaryStore redis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (redis.writeAndReadBack("bench")) {
                    return;
                }
            } catch (RuntimeException reconnecting) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("Redis did not come back");
    }
}
