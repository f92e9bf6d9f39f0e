package io.holdfast.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.holdfast.support.RedisServer;
import io.holdfast.support.TcpProxy;
import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The failback's lock under the failures of a resilience drill, against a real, private redis-server: a failback
 * that fails part-way and cannot release its lock (Redis slow, a node down) must not keep the other instances on SQL
 * for long; a failback that runs longer than the lease keeps its lock; one that cannot renew it stops before it
 * switches. Each instance is a {@link RedisFirst} with its own {@link Failback} and connection, as on a server.
 */
class FailbackLockTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final String KEY = "hf:lock:failback";

    @Test
    void aFailbackThatCannotReleaseItsLockHoldsTheOthersOnSqlOnlyForTheLease() throws Exception {
        try (RedisServer redis = RedisServer.start(); TcpProxy link = TcpProxy.start("127.0.0.1", redis.port())) {
            LettuceConnectionFactory viaLink = connect(link.port());
            LettuceConnectionFactory direct = connect(redis.port());
            try {
                RedisFirst first = onSql();
                // The drill: the copy fails part-way because this instance's Redis node went away, so the release
                // in the failback's finally fails too.
                first.whenFailingBack(() -> last -> {
                    link.cut();
                    throw new IllegalStateException("Redis node went down in the middle of the copy");
                });
                assertThatThrownBy(failback(first, viaLink)::syncAndSwitch).hasMessageContaining("went down");
                assertThat(first.mode()).isEqualTo(StorageMode.SQL);
                long left = Long.parseLong(redis.cli("PTTL", KEY));
                assertThat(left).as("ms the unreleased lock has left (-2: lapsed already)")
                        .isLessThanOrEqualTo(LEASE.toMillis());

                RedisFirst second = onSql();
                AtomicInteger copies = new AtomicInteger();
                second.whenFailingBack(() -> last -> copies.incrementAndGet());
                Failback secondFailback = failback(second, direct);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!secondFailback.syncAndSwitch()) {
                    assertThat(System.nanoTime()).as("the other instance failed back before the lock's old 2-minute lease")
                            .isLessThan(deadline);
                    Thread.sleep(100);
                }
                assertThat(second.mode()).isEqualTo(StorageMode.REDIS);
                assertThat(copies).hasValue(3);
                assertThat(redis.cli("EXISTS", KEY)).as("released after the failback").isEqualTo("0");
            } finally {
                viaLink.destroy();
                direct.destroy();
            }
        }
    }

    @Test
    void aFailbackLongerThanTheLeaseKeepsItsLockUntilItIsDone() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            LettuceConnectionFactory connections = connect(redis.port());
            LettuceConnectionFactory rivalConnections = connect(redis.port());
            try {
                RedisLock rival = new RedisLock(new StringRedisTemplate(rivalConnections));
                AtomicInteger refused = new AtomicInteger();
                RedisFirst router = onSql();
                router.whenFailingBack(() -> last -> {
                    if (!last) {
                        // A bulk copy that takes two leases (10,000 holds on a loaded machine): other instances try
                        // the lock all along and must be refused.
                        long until = System.nanoTime() + LEASE.multipliedBy(2).toNanos();
                        while (System.nanoTime() < until) {
                            assertThat(rival.lock("failback", "rival", LEASE)).as("rival took the lock").isFalse();
                            refused.incrementAndGet();
                            sleep(Duration.ofMillis(200));
                        }
                    }
                    return 0;
                });
                assertThat(failback(router, connections).syncAndSwitch()).isTrue();
                assertThat(router.mode()).isEqualTo(StorageMode.REDIS);
                assertThat(refused.get()).isGreaterThan(3);
                assertThat(redis.cli("EXISTS", KEY)).as("released after the failback").isEqualTo("0");
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
            } finally {
                connections.destroy();
                rivalConnections.destroy();
            }
        }
    }

    @Test
    void aFailbackWhoseLockWasTakenStopsBeforeTheSwitchAndLeavesTheNewOwnersLock() {
        try (RedisServer redis = RedisServer.start()) {
            LettuceConnectionFactory connections = connect(redis.port());
            try {
                AtomicInteger passes = new AtomicInteger();
                AtomicBoolean stopped = new AtomicBoolean();
                RedisFirst router = onSql();
                router.whenFailingBack(() -> last -> {
                    passes.incrementAndGet();
                    // As if this instance had stalled past its lease and another instance took the lock meanwhile.
                    redis.cli("SET", KEY, "other-instance", "PX", "60000");
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException interrupted) {
                        stopped.set(true);
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("copy interrupted", interrupted);
                    }
                    return 0;
                });
                assertThatThrownBy(failback(router, connections)::syncAndSwitch)
                        .isInstanceOf(RedisLock.LockLost.class);
                assertThat(stopped).as("the running copy was stopped").isTrue();
                assertThat(passes).hasValue(1);
                assertThat(router.mode()).isEqualTo(StorageMode.SQL);
                assertThat(redis.cli("GET", KEY)).as("the new owner's lock").isEqualTo("other-instance");
                assertThat(Thread.interrupted()).as("the lock's interrupt does not leak into the caller").isFalse();
            } finally {
                connections.destroy();
            }
        }
    }

    @Test
    void aFailbackThatCannotReachRedisToRenewStopsBeforeTheSwitch() {
        try (RedisServer redis = RedisServer.start(); TcpProxy link = TcpProxy.start("127.0.0.1", redis.port())) {
            LettuceConnectionFactory viaLink = connect(link.port());
            try {
                AtomicBoolean stopped = new AtomicBoolean();
                RedisFirst router = onSql();
                router.whenFailingBack(() -> last -> {
                    // Redis stops answering this instance (a hung node): renewals time out, the lease runs down.
                    link.stall();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException interrupted) {
                        stopped.set(true);
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("copy interrupted", interrupted);
                    }
                    return 0;
                });
                assertThatThrownBy(failback(router, viaLink)::syncAndSwitch).isInstanceOf(RedisLock.LockLost.class);
                assertThat(stopped).as("the running copy was stopped").isTrue();
                assertThat(router.mode()).isEqualTo(StorageMode.SQL);
                assertThat(Thread.interrupted()).as("the lock's interrupt does not leak into the caller").isFalse();
            } finally {
                link.restore();
                viaLink.destroy();
            }
        }
    }

    private static RedisFirst onSql() {
        RedisFirst router = RedisFirst.withRedis(event -> { }, new SimpleMeterRegistry(), Clock.systemUTC());
        router.failedOver("test: Redis was down");
        return router;
    }

    private static Failback failback(RedisFirst router, LettuceConnectionFactory connections) {
        return new Failback(new RedisLock(new StringRedisTemplate(connections)), LEASE, router, () -> { },
                new SimpleMeterRegistry());
    }

    /**
     * The server's client: fail-fast options and its 500 ms command timeout; a longer connect timeout than the
     * server's, for the first connect of a cold JVM on a loaded machine.
     */
    private static LettuceConnectionFactory connect(int port) {
        LettuceConnectionFactory connections = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", port),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofMillis(500))
                        .clientOptions(FailFastRedis.apply(ClientOptions.builder(), Duration.ofSeconds(10)).build())
                        .build());
        connections.afterPropertiesSet();
        connections.start();
        return connections;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: the lock was lost", interrupted);
        }
    }
}
