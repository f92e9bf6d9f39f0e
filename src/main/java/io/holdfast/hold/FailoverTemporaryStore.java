package io.holdfast.hold;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;

/**
 * Routes every temporary-state call: to Redis while it is healthy; on a Redis error or timeout the same call is
 * served by the SQL store at once (the caller never sees the failure) and the circuit opens, so later calls go
 * straight to SQL. The circuit closes only after {@link FailbackSync} has copied the SQL state back into Redis.
 *
 * <p>The Resilience4j circuit breaker is the mode: CLOSED is Redis, OPEN is SQL. It opens on the first failed
 * call (a hold must never wait for a second timeout) and never half-opens by itself: only the health probe's
 * write-and-read-back check followed by a completed failback closes it.
 */
public class FailoverTemporaryStore implements TemporaryStore {

    private static final Logger log = LoggerFactory.getLogger(FailoverTemporaryStore.class);

    private final RedisTemporaryStore redis;
    private final SqlTemporaryStore sql;
    private final CircuitBreaker breaker;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Counter servedBySql;
    private final Counter failovers;
    private final Counter failbacks;
    private final Timer redisCalls;
    private final java.util.concurrent.atomic.AtomicInteger sqlInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private static final Duration GATE_WAIT = Duration.ofSeconds(2);
    private volatile java.util.concurrent.CountDownLatch gate;
    private volatile Instant lastFailover;
    private volatile Instant lastFailback;

    public FailoverTemporaryStore(RedisTemporaryStore redis, SqlTemporaryStore sql, CircuitBreaker breaker,
            ApplicationEventPublisher events, MeterRegistry metrics, Clock clock) {
        this.redis = redis;
        this.sql = sql;
        this.breaker = breaker;
        this.events = events;
        this.clock = clock;
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
        Gauge.builder("holdfast.storage.mode.redis", this, store -> store.mode() == StorageMode.REDIS ? 1 : 0)
                .description("1 while temporary state is served by Redis, 0 while by SQL").register(metrics);
    }

    @Override
    public HoldOutcome hold(LeaseRequest request, Duration ttl, int maxSlotsPerClient) {
        return route(store -> store.hold(request, ttl, maxSlotsPerClient));
    }

    @Override
    public Optional<SlotHold> findHold(UUID holdId) {
        return route(store -> store.findHold(holdId));
    }

    /**
     * Releases in the active store. In SQL mode a hold that only Redis knows gets a tombstone all the same, so the
     * failback removes its Redis copy and its token cannot adopt it again.
     */
    @Override
    public boolean release(UUID holdId, String token) {
        boolean released = route(store -> store.release(holdId, token));
        if (!released && mode() == StorageMode.SQL) {
            sql.tombstone(holdId, token);
        }
        return released;
    }

    @Override
    public boolean wasReleased(UUID holdId) {
        return route(store -> store.wasReleased(holdId));
    }

    @Override
    public Optional<Instant> extend(UUID holdId, String token, Duration ttl) {
        return route(store -> store.extend(holdId, token, ttl));
    }

    @Override
    public List<HeldGranule> heldGranules(long staffId, long fromGranule, long toGranule) {
        return route(store -> store.heldGranules(staffId, fromGranule, toGranule));
    }

    @Override
    public void select(Selection selection, Duration ttl) {
        route(store -> {
            store.select(selection, ttl);
            return null;
        });
    }

    @Override
    public void unselect(long staffId, LocalDate date, String clientId) {
        route(store -> {
            store.unselect(staffId, date, clientId);
            return null;
        });
    }

    @Override
    public List<Selection> selections(long staffId, LocalDate date) {
        return route(store -> store.selections(staffId, date));
    }

    /** Lapses from both stores: SQL can hold leases from an outage that Redis never saw. */
    @Override
    public List<SlotHold> takeLapsed(int max) {
        List<SlotHold> lapsed = new java.util.ArrayList<>(sql.takeLapsed(max));
        if (mode() == StorageMode.REDIS) {
            try {
                lapsed.addAll(redis.takeLapsed(max));
            } catch (DataAccessException | io.lettuce.core.RedisException unreachable) {
                failedOver("announcing lapsed holds failed: " + unreachable.getMessage());
            }
        }
        return lapsed;
    }

    @Override
    public List<Selection> takeLapsedSelections(int max) {
        List<Selection> lapsed = new java.util.ArrayList<>(sql.takeLapsedSelections(max));
        if (mode() == StorageMode.REDIS) {
            try {
                lapsed.addAll(redis.takeLapsedSelections(max));
            } catch (DataAccessException | io.lettuce.core.RedisException unreachable) {
                failedOver("announcing lapsed selections failed: " + unreachable.getMessage());
            }
        }
        return lapsed;
    }

    @Override
    public StorageMode mode() {
        return breaker.getState() == CircuitBreaker.State.CLOSED ? StorageMode.REDIS : StorageMode.SQL;
    }

    private <T> T route(Function<TemporaryStore, T> call) {
        java.util.concurrent.CountDownLatch closed = gate;
        if (closed != null) {
            try {
                closed.await(GATE_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return redisFirst(() -> call.apply(redis), () -> call.apply(sql));
    }

    /**
     * Runs a call on Redis while the mode is Redis, else on SQL; a Redis error or timeout is not passed on: the
     * SQL call answers instead and the mode switches to SQL. Other modules' temporary state (one-time codes,
     * session cache, rate limits) goes through here, so that all temporary state shares one mode, one failover and
     * one failback.
     */
    public <T> T redisFirst(Supplier<T> onRedis, Supplier<T> onSql) {
        if (breaker.tryAcquirePermission()) {
            long start = System.nanoTime();
            try {
                T result = onRedis.get();
                long elapsed = System.nanoTime() - start;
                breaker.onSuccess(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
                redisCalls.record(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
                return result;
            } catch (DataAccessException | CallNotPermittedException | io.lettuce.core.RedisException failure) {
                breaker.onError(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS, failure);
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

    /** Holds new calls back for the failback's last pass (they proceed after at most {@link #GATE_WAIT}). */
    void closeGate() {
        gate = new java.util.concurrent.CountDownLatch(1);
    }

    void openGate() {
        java.util.concurrent.CountDownLatch closed = gate;
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

    /** Switches back to Redis; called by the failback sync once SQL state has been copied. */
    void failedBack(String reason) {
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

    public long failoverCount() {
        return (long) failovers.count();
    }

    public long failbackCount() {
        return (long) failbacks.count();
    }

    public Optional<Instant> lastFailover() {
        return Optional.ofNullable(lastFailover);
    }

    public Optional<Instant> lastFailback() {
        return Optional.ofNullable(lastFailback);
    }
}
