package io.holdfast.hold;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Copies the temporary state written to SQL during an outage back into Redis, then moves traffic back.
 *
 * <p>Holds are copied oldest first with their remaining lease. When a copied hold meets a Redis hold on the same
 * time (Redis kept state across the outage, or another instance wrote there first), the earlier hold wins and the
 * other is released with a {@link HoldLapsed} event, so the outcome is the same on every instance. Releases made
 * during the outage remove their Redis copies, or leave a released marker in Redis where it had none, so that a
 * released hold's token cannot adopt it again after the failback. A Redis lock keeps several instances from syncing
 * at once.
 * The sync runs twice: once while SQL still serves (the bulk), and once after the switch for what was written in
 * between; the SQL rows are deleted as they are copied.
 */
public class FailbackSync {

    private static final Logger log = LoggerFactory.getLogger(FailbackSync.class);
    private static final Duration LOCK_LEASE = Duration.ofMinutes(2);
    private static final int PARALLELISM = 8;

    private final RedisTemporaryStore redis;
    private final SqlTemporaryStore sql;
    private final FailoverTemporaryStore router;
    private final ApplicationEventPublisher events;
    private final Timer syncTime;
    private final Runnable restoreSettings;

    /**
     * {@code restoreSettings} sets again what a restarted Redis forgot (its expiry-event flags); it runs before
     * traffic moves back, so nobody sees Redis mode on a server still missing them.
     */
    public FailbackSync(RedisTemporaryStore redis, SqlTemporaryStore sql, FailoverTemporaryStore router,
            ApplicationEventPublisher events, MeterRegistry metrics, Runnable restoreSettings) {
        this.redis = redis;
        this.sql = sql;
        this.router = router;
        this.events = events;
        this.restoreSettings = restoreSettings;
        this.syncTime = Timer.builder("holdfast.storage.failback.sync").description("Time to copy SQL state into Redis")
                .register(metrics);
    }

    /** What one sync copied. */
    public record Report(int holds, int lostHolds, int selections, int releases, Duration took) {
    }

    /** Syncs and switches back to Redis; false when another instance holds the sync lock (try again later). */
    public boolean syncAndSwitch() {
        String nonce = UUID.randomUUID().toString();
        if (!redis.lock("failback", nonce, LOCK_LEASE)) {
            return false;
        }
        try {
            long start = System.nanoTime();
            Map<UUID, Instant> copied = new ConcurrentHashMap<>();
            Report bulk = pass(copied, false);
            restoreSettings.run();
            // For the last pass, new calls wait at the gate (a few ms) while calls already on SQL finish, so no
            // hold can be written to SQL after the pass reads, nor to Redis before it has copied.
            Report stragglers;
            router.closeGate();
            try {
                router.awaitSqlDrained(Duration.ofSeconds(10));
                stragglers = pass(copied, true);
                router.failedBack("Redis is healthy again");
            } finally {
                router.openGate();
            }
            Report outwaited = pass(copied, true); // calls that waited longer than the gate allows went to SQL meanwhile
            stragglers = new Report(stragglers.holds() + outwaited.holds(), stragglers.lostHolds() + outwaited.lostHolds(),
                    stragglers.selections() + outwaited.selections(), stragglers.releases() + outwaited.releases(),
                    stragglers.took().plus(outwaited.took()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            syncTime.record(took);
            log.info("Failback sync copied {} holds ({} lost to earlier holds), {} selections, {} releases in {} ms",
                    bulk.holds() + stragglers.holds(), bulk.lostHolds() + stragglers.lostHolds(),
                    bulk.selections() + stragglers.selections(), bulk.releases() + stragglers.releases(),
                    took.toMillis());
            return true;
        } finally {
            redis.unlock("failback", nonce);
        }
    }

    /** One complete copy (benchmark and tests): everything SQL holds now goes to Redis and leaves SQL. */
    public Report pass() {
        return pass(new ConcurrentHashMap<>(), true);
    }

    /**
     * Copies what SQL holds now into Redis. Holds are copied in parallel: SQL holds never overlap each other (the
     * SQL store's primary key saw to that), so they can only meet Redis holds, and each such meeting is settled by
     * the same creation-time rule whatever the order. {@code copied} remembers what an earlier pass copied (and at
     * which expiry), so a later pass copies only what is new or was extended since. SQL keeps its rows until the
     * last pass ({@code forget}): until traffic moves it must still refuse a second hold on a copied hold's time.
     */
    private Report pass(Map<UUID, Instant> copied, boolean forget) {
        long start = System.nanoTime();
        List<SqlTemporaryStore.Tombstone> tombstones = sql.tombstones();
        List<SlotHold> holds = sql.liveHolds();
        List<SlotHold> toCopy = holds.stream().filter(hold -> !hold.expiresAt().equals(copied.get(hold.id()))).toList();
        ExecutorService workers = Executors.newFixedThreadPool(PARALLELISM);
        int lost = 0;
        try {
            List<Future<Boolean>> releases = new ArrayList<>();
            for (SqlTemporaryStore.Tombstone tombstone : tombstones) {
                releases.add(workers.submit(() -> {
                    if (!redis.release(tombstone.holdId(), tombstone.token())) {
                        redis.markReleased(tombstone.holdId());
                    }
                    return true;
                }));
            }
            for (Future<Boolean> release : releases) {
                release.get();
            }
            List<Future<Boolean>> copies = new ArrayList<>();
            for (SlotHold hold : toCopy) {
                copies.add(workers.submit(() -> {
                    boolean done = copy(hold);
                    copied.put(hold.id(), hold.expiresAt());
                    return done;
                }));
            }
            for (Future<Boolean> done : copies) {
                if (!done.get()) {
                    lost++;
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Failback sync interrupted", interrupted);
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(failed.getCause());
        } finally {
            workers.shutdownNow();
        }
        List<SqlTemporaryStore.TimedSelection> selections = sql.liveSelections();
        Instant now = Instant.now();
        for (SqlTemporaryStore.TimedSelection timed : selections) {
            Duration remaining = Duration.between(now, timed.expiresAt());
            if (remaining.toMillis() > 0) {
                redis.select(timed.selection(), remaining);
            }
        }
        if (forget) {
            sql.forget(holds, selections, tombstones);
        }
        return new Report(toCopy.size() - lost, lost, selections.size(), tombstones.size(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Copies one hold; false when it lost to an earlier Redis hold and was dropped. */
    private boolean copy(SlotHold hold) {
        String fingerprint = SqlTemporaryStore.fingerprint(hold.clientId(), hold.items());
        for (int attempt = 0; attempt < 50; attempt++) {
            if (redis.restore(hold, fingerprint)) {
                return true;
            }
            List<SlotHold> rivals = redis.rivals(hold);
            if (rivals.isEmpty()) {
                // A rival lease whose record is still being written (its hold is being made right now): look again.
                pause();
                continue;
            }
            boolean beaten = rivals.stream().anyMatch(rival -> earlier(rival, hold));
            if (beaten) {
                events.publishEvent(new HoldLapsed(hold.id(), hold.clientId(), hold.items(),
                        HoldLapsed.Reason.LOST_IN_FAILBACK));
                return false;
            }
            for (SlotHold rival : rivals) {
                if (redis.release(rival.id(), rival.token())) {
                    events.publishEvent(new HoldLapsed(rival.id(), rival.clientId(), rival.items(),
                            HoldLapsed.Reason.LOST_IN_FAILBACK));
                }
            }
        }
        log.warn("Hold {} could not be copied into Redis; its owner is told it was lost", hold.id());
        events.publishEvent(new HoldLapsed(hold.id(), hold.clientId(), hold.items(), HoldLapsed.Reason.LOST_IN_FAILBACK));
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The deterministic order of competing holds: creation time, then id. */
    private static boolean earlier(SlotHold a, SlotHold b) {
        return Comparator.comparing(SlotHold::createdAt).thenComparing(SlotHold::id).compare(a, b) < 0;
    }
}
