package io.holdfast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;

/**
 * Regression: when Redis died under load, many calls failed at once; the breaker's own CLOSED-to-OPEN transition
 * raced with the router's forced one and could leave an OPEN state on the forced state's empty window, whose next
 * recorded call threw {@code ArithmeticException: / by zero} out of the router (a 500 mid-failover), and one outage
 * was counted and announced as several failovers. Here, round after round, 32 calls that all got into Redis fail
 * at the same instant: every call must be answered from SQL, and each round is exactly one switch to SQL.
 */
class ConcurrentFailoverBreakerTest {

    private static final int THREADS = 32;
    private static final int ROUNDS = 200;

    @Test
    void manyCallsFailingAtOnceAreAllAnsweredAndMakeOneSwitch() throws Exception {
        List<StorageModeChanged> announced = new CopyOnWriteArrayList<>();
        RedisFirst router = RedisFirst.withRedis(event -> announced.add((StorageModeChanged) event),
                new SimpleMeterRegistry(), Clock.systemUTC());
        CyclicBarrier allInRedis = new CyclicBarrier(THREADS);
        List<Throwable> escaped = new ArrayList<>();
        int answered = 0;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                router.failedBack("round " + round);
                List<Callable<String>> calls = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    calls.add(() -> router.call(() -> {
                        await(allInRedis); // everyone is past the breaker; now all fail together
                        throw new QueryTimeoutException("Redis did not answer");
                    }, () -> "sql"));
                }
                for (Future<String> call : pool.invokeAll(calls, 1, TimeUnit.MINUTES)) {
                    try {
                        if (call.get().equals("sql")) {
                            answered++;
                        }
                    } catch (ExecutionException failure) {
                        escaped.add(failure.getCause());
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(escaped).as("failures that escaped the router").isEmpty();
        assertThat(answered).isEqualTo(THREADS * ROUNDS);
        assertThat(router.failoverCount()).as("one failover per round").isEqualTo(ROUNDS);
        assertThat(announced.stream().filter(change -> change.mode() == StorageMode.SQL).count()).isEqualTo(ROUNDS);
        assertThat(router.mode()).isEqualTo(StorageMode.SQL);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the calls did not all reach Redis", e);
        }
    }
}
