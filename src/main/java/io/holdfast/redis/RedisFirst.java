package io.holdfast.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;

/**
 * The server's storage mode, and the one way to reach Redis for temporary state: a call runs on Redis while the
 * mode is Redis, else on SQL; a Redis error or timeout is not passed on: the SQL call answers instead and the mode
 * switches to SQL. Holds, one-time codes, the session cache and rate limits all go through here, so that all
 * temporary state shares one mode, one failover and one failback. Always present: without a configured Redis the
 * mode is SQL for good and every call goes to SQL.
 *
 * <p>The Resilience4j circuit breaker is the mode: CLOSED is Redis, OPEN is SQL. It is forced open on the first
 * failed call (a hold must never wait for a second timeout) and never half-opens by itself: only the health probe's
 * write-and-read-back check followed by a completed failback closes it.
 */
public final class RedisFirst {

    private static final Logger log = LoggerFactory.getLogger(RedisFirst.class);
    private static final Duration GATE_WAIT = Duration.ofSeconds(2);

    private final CircuitBreaker breaker;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Counter servedBySql;
    private final Counter failovers;
    private final Counter failbacks;
    private final Timer redisCalls;
    private final AtomicInteger sqlInFlight = new AtomicInteger();
    private final List<FailbackStep> failbackSteps = new CopyOnWriteArrayList<>();
    private final List<Runnable> afterProbe = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate;
    private volatile Instant lastFailover;
    private volatile Instant lastFailback;
    private volatile boolean probeReachedRedis = true;
    private volatile Supplier<List<String>> configurationFindings = List::of;

    private RedisFirst(CircuitBreaker breaker, ApplicationEventPublisher events, MeterRegistry metrics, Clock clock) {
        this.breaker = breaker;
        this.events = events;
        this.clock = clock;
        if (breaker == null) {
            servedBySql = failovers = failbacks = null;
            redisCalls = null;
            return;
        }
        // holdfast.storage.*: the storage mode and its switches. The Redis commands themselves are timed by
        // Spring Boot's Lettuce observation (lettuce timer, tag db.operation); redisCalls times one call of ours,
        // often a Lua script or several commands, as the caller waits for it.
        this.servedBySql = Counter.builder("holdfast.storage.fallback.operations")
                .description("Temporary-state operations served by SQL because Redis was unavailable").register(metrics);
        this.failovers = Counter.builder("holdfast.storage.failovers").description("Switches from Redis to SQL")
                .register(metrics);
        this.failbacks = Counter.builder("holdfast.storage.failbacks").description("Switches from SQL back to Redis")
                .register(metrics);
        this.redisCalls = Timer.builder("holdfast.storage.redis.calls").publishPercentiles(0.5, 0.99)
                .description("Temporary-state calls served by Redis").register(metrics);
        Gauge.builder("holdfast.storage.mode.redis", this, router -> router.mode() == StorageMode.REDIS ? 1 : 0)
                .description("1 while temporary state is served by Redis, 0 while by SQL").register(metrics);
    }

    /** The mode of a server with a configured Redis: Redis until the first failure. */
    static RedisFirst withRedis(ApplicationEventPublisher events, MeterRegistry metrics, Clock clock) {
        return new RedisFirst(breaker(), events, metrics, clock);
    }

    /** The mode of a server without Redis: SQL, for good. */
    static RedisFirst withoutRedis() {
        return new RedisFirst(null, event -> { }, null, Clock.systemUTC());
    }

    /**
     * The storage mode as a circuit breaker: forced open on the first failure, closed only by the failback. The
     * router forces it open itself ({@code failedOver}), so the breaker never opens on its own: failures are ignored
     * by its state machine. Otherwise its own CLOSED-to-OPEN transition, racing with the forced one under concurrent
     * failures, could build an OPEN state on the forced state's empty window, whose next recorded call divides by
     * zero (a 500 in the middle of a failover).
     */
    private static CircuitBreaker breaker() {
        return CircuitBreaker.of("redis", CircuitBreakerConfig.custom()
                .slidingWindowSize(1)
                .minimumNumberOfCalls(1)
                .failureRateThreshold(100)
                .ignoreException(failure -> true)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
    }

    /** Whether a Redis server is configured (and not switched off): the answer never changes while running. */
    public boolean configured() {
        return breaker != null;
    }

    /** Where temporary state lives right now. */
    public StorageMode mode() {
        return breaker != null && breaker.getState() == CircuitBreaker.State.CLOSED ? StorageMode.REDIS : StorageMode.SQL;
    }

    /**
     * {@code onRedis} while Redis serves; {@code onSql} otherwise and whenever {@code onRedis} fails on Redis (which
     * switches the mode to SQL). New calls wait a moment while a failback makes its last copy.
     */
    public <T> T call(Supplier<T> onRedis, Supplier<T> onSql) {
        if (breaker == null) {
            return onSql.get();
        }
        CountDownLatch closed = gate;
        if (closed != null) {
            try {
                closed.await(GATE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (breaker.tryAcquirePermission()) {
            long start = System.nanoTime();
            try {
                T result = onRedis.get();
                long elapsed = System.nanoTime() - start;
                breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
                redisCalls.record(elapsed, TimeUnit.NANOSECONDS);
                return result;
            } catch (DataAccessException | CallNotPermittedException | io.lettuce.core.RedisException failure) {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
                failedOver(failure.getClass().getSimpleName() + ": " + failure.getMessage());
            }
        }
        servedBySql.increment();
        sqlInFlight.incrementAndGet();
        try {
            return onSql.get();
        } finally {
            sqlInFlight.decrementAndGet();
        }
    }

    /** {@link #call} for calls without an answer. */
    public void run(Runnable onRedis, Runnable onSql) {
        call(() -> {
            onRedis.run();
            return null;
        }, () -> {
            onSql.run();
            return null;
        });
    }

    /**
     * Runs a call on Redis only while Redis serves (work that SQL has no part in, such as announcing Redis's own
     * lapses); a Redis failure switches the mode to SQL and answers {@code orElse}.
     */
    public <T> T onRedisOnly(Supplier<T> onRedis, T orElse) {
        if (mode() != StorageMode.REDIS) {
            return orElse;
        }
        try {
            return onRedis.get();
        } catch (DataAccessException | io.lettuce.core.RedisException unreachable) {
            failedOver(unreachable.getClass().getSimpleName() + ": " + unreachable.getMessage());
            return orElse;
        }
    }

    /** Registers what a module copies back into Redis at failback, before traffic moves back. */
    public void whenFailingBack(FailbackStep step) {
        failbackSteps.add(step);
    }

    /** Registers work for after each health probe that reached Redis (measuring its clock, for one). */
    public void afterEachGoodProbe(Runnable action) {
        afterProbe.add(action);
    }

    /** Whether the last health probe reached Redis (true without Redis: nothing is missing). */
    public boolean probeReachedRedis() {
        return probeReachedRedis;
    }

    /** What is unsafe in the Redis configuration now, one sentence each (see {@link RedisConfigCheck}). */
    public List<String> configurationFindings() {
        return configurationFindings.get();
    }

    public long failoverCount() {
        return failovers == null ? 0 : (long) failovers.count();
    }

    public long failbackCount() {
        return failbacks == null ? 0 : (long) failbacks.count();
    }

    public Optional<Instant> lastFailover() {
        return Optional.ofNullable(lastFailover);
    }

    public Optional<Instant> lastFailback() {
        return Optional.ofNullable(lastFailback);
    }

    void findingsFrom(Supplier<List<String>> check) {
        configurationFindings = check;
    }

    List<FailbackStep> failbackSteps() {
        return failbackSteps;
    }

    void probed(boolean reached) {
        probeReachedRedis = reached;
        if (reached) {
            for (Runnable action : afterProbe) {
                try {
                    action.run();
                } catch (RuntimeException failed) {
                    log.debug("Work after a good Redis probe failed; the next probe tries again", failed);
                }
            }
        }
    }

    /** Holds new calls back for the failback's last pass (they proceed after at most {@link #GATE_WAIT}). */
    void closeGate() {
        gate = new CountDownLatch(1);
    }

    void openGate() {
        CountDownLatch closed = gate;
        gate = null;
        if (closed != null) {
            closed.countDown();
        }
    }

    /**
     * Waits until no call that was routed to SQL before the switch back is still running, so the failback's last
     * pass sees everything they wrote (a hold written to SQL after that pass would be invisible in Redis).
     */
    void awaitSqlDrained(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (sqlInFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Switches to SQL now (called on a failed call and by the health probe). When Redis dies many calls fail at
     * once: the switch is made, counted and announced once (under the lock; listeners are told after it).
     */
    void failedOver(String reason) {
        if (breaker == null) {
            return;
        }
        StorageModeChanged change = null;
        synchronized (this) {
            if (breaker.getState() != CircuitBreaker.State.FORCED_OPEN) {
                // Counted before the switch: whoever reads the new mode (gauge, redis-status, DayVersions) sees the count too.
                lastFailover = clock.instant();
                failovers.increment();
                breaker.transitionToForcedOpenState();
                change = new StorageModeChanged(StorageMode.SQL, lastFailover, reason);
            }
        }
        if (change != null) {
            log.warn("Storage mode -> sql: Redis is unavailable ({}); temporary state is served by SQL", reason);
            events.publishEvent(change);
        }
    }

    /** Switches back to Redis; called by the failback once SQL state has been copied. */
    void failedBack(String reason) {
        if (breaker == null) {
            return;
        }
        StorageModeChanged change = null;
        synchronized (this) {
            if (breaker.getState() != CircuitBreaker.State.CLOSED) {
                lastFailback = clock.instant();
                failbacks.increment();
                breaker.transitionToClosedState();
                change = new StorageModeChanged(StorageMode.REDIS, lastFailback, reason);
            }
        }
        if (change != null) {
            log.info("Storage mode -> redis: {}", reason);
            events.publishEvent(change);
        }
    }
}
