package io.holdfast.hold;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.holdfast.redis.FailbackStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The hold module's part of a failback: copies the holds, selections and releases written to SQL during an outage
 * back into Redis (the redis module runs it, see {@link FailbackStep}).
 *
 * <p>Holds are copied oldest first with their remaining lease. When a copied hold meets a Redis hold on the same
 * time (Redis kept state across the outage, or another instance wrote there first), the earlier hold (the one that
 * has held the time longer, see {@link #earlier}) wins and the other is released with a {@link HoldLapsed} event,
 * so the outcome is the same on every instance. Releases made during the outage remove their Redis copies, or leave
 * a released marker in Redis where it had none, so that a released hold's token cannot adopt it again after the
 * failback. The SQL rows are deleted as they are copied, in the last passes.
 */
class FailbackSync implements FailbackStep {

    private static final Logger log = LoggerFactory.getLogger(FailbackSync.class);
    private static final int PARALLELISM = 8;

    private final RedisTemporaryStore redis;
    private final SqlTemporaryStore sql;
    private final ApplicationEventPublisher events;

    FailbackSync(RedisTemporaryStore redis, SqlTemporaryStore sql, ApplicationEventPublisher events) {
        this.redis = redis;
        this.sql = sql;
        this.events = events;
    }

    /** What one pass copied. */
    record Report(int holds, int lostHolds, int selections, int releases, Duration took) {
    }

    @Override
    public Copy begin() {
        Map<UUID, Instant> copied = new ConcurrentHashMap<>();
        return last -> {
            Report report = pass(copied, last);
            if (report.lostHolds() > 0) {
                log.info("Failback: {} holds lost to earlier holds", report.lostHolds());
            }
            return report.holds() + report.selections() + report.releases();
        };
    }

    /** One complete copy (benchmark and tests): everything SQL holds now goes to Redis and leaves SQL. */
    Report pass() {
        return pass(new ConcurrentHashMap<>(), true);
    }

    /**
     * Copies what SQL holds now into Redis. Holds are copied in parallel: SQL holds never overlap each other (the
     * SQL store's primary key saw to that), so they can only meet Redis holds, and each such meeting is settled by
     * the same creation-time rule whatever the order. {@code copied} remembers what an earlier pass copied (and at
     * which expiry): a later pass lists only the expiries of the live holds and reads in full, then copies, only what
     * is new or was extended since, so the gated pass, while new calls wait, is short. SQL keeps its rows until the
     * last pass ({@code forget}): until traffic moves it must still refuse a second hold on a copied hold's time.
     */
    private Report pass(Map<UUID, Instant> copied, boolean forget) {
        long start = System.nanoTime();
        List<SqlTemporaryStore.Tombstone> tombstones = sql.tombstones();
        List<SqlTemporaryStore.Listed> toCopy;
        Collection<UUID> listed;
        if (copied.isEmpty()) {
            List<SqlTemporaryStore.Listed> all = sql.listedHolds();
            toCopy = all;
            listed = all.stream().map(one -> one.hold().id()).toList();
        } else {
            Map<UUID, Instant> expiries = sql.liveExpiries();
            listed = expiries.keySet();
            toCopy = sql.listedHolds(expiries.entrySet().stream()
                    .filter(live -> !live.getValue().equals(copied.get(live.getKey()))).map(Map.Entry::getKey).toList());
        }
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
            List<SqlTemporaryStore.Listed> contested = toCopy;
            if (redis.holdsInOneScript()) {
                // Most holds meet no Redis hold: all of them in one script each, sent in batches; only those that
                // met one take the one-by-one way below, which settles who wins.
                List<Boolean> restored = redis.restoreAll(toCopy.stream().map(FailbackSync::restoring).toList());
                contested = new ArrayList<>();
                for (int i = 0; i < toCopy.size(); i++) {
                    SlotHold hold = toCopy.get(i).hold();
                    if (restored.get(i)) {
                        copied.put(hold.id(), hold.expiresAt());
                    } else {
                        contested.add(toCopy.get(i));
                    }
                }
            }
            List<Future<Boolean>> copies = new ArrayList<>();
            for (SqlTemporaryStore.Listed one : contested) {
                copies.add(workers.submit(() -> {
                    boolean done = copy(restoring(one));
                    copied.put(one.hold().id(), one.hold().expiresAt());
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
        List<TimedSelection> selections = sql.liveSelections();
        Instant now = Instant.now();
        for (TimedSelection timed : selections) {
            Duration remaining = Duration.between(now, timed.expiresAt());
            if (remaining.toMillis() > 0) {
                redis.select(timed.selection(), remaining);
            }
        }
        if (forget) {
            sql.forget(listed, selections, tombstones);
        }
        return new Report(toCopy.size() - lost, lost, selections.size(), tombstones.size(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private static RedisTemporaryStore.Restoring restoring(SqlTemporaryStore.Listed listed) {
        SqlTemporaryStore.Origin origin = listed.origin();
        return new RedisTemporaryStore.Restoring(listed.hold(), origin.fingerprint(), origin.network(),
                origin.heldSince());
    }

    /** Copies one hold; false when it lost to an earlier Redis hold and was dropped, or lapsed meanwhile. */
    boolean copy(RedisTemporaryStore.Restoring restoring) {
        SlotHold hold = restoring.hold();
        RedisTemporaryStore.Contender copy = new RedisTemporaryStore.Contender(hold, restoring.heldSince());
        for (int attempt = 0; attempt < 50; attempt++) {
            if (redis.restore(hold, restoring.fingerprint(), restoring.network(), restoring.heldSince())) {
                return true;
            }
            if (!hold.liveAt(Instant.now())) {
                // It lapsed since the pass listed it (restore copies no lapsed hold): there is no rival to wait for,
                // and waiting out the attempts held a copier for a second per such hold (10,000 holds of ten
                // minutes lapse at about 17 a second), to announce at the end a loss that was an expiry.
                events.publishEvent(new HoldLapsed(hold.id(), hold.clientId(), hold.items(), HoldLapsed.Reason.EXPIRED));
                return false;
            }
            List<RedisTemporaryStore.Contender> rivals = redis.rivals(hold);
            if (rivals.isEmpty()) {
                // A rival lease whose record is still being written (its hold is being made right now): look again.
                pause();
                continue;
            }
            boolean beaten = rivals.stream().anyMatch(rival -> earlier(rival, copy));
            if (beaten) {
                events.publishEvent(new HoldLapsed(hold.id(), hold.clientId(), hold.items(),
                        HoldLapsed.Reason.LOST_IN_FAILBACK));
                return false;
            }
            for (SlotHold rival : rivals.stream().map(RedisTemporaryStore.Contender::hold).toList()) {
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

    /**
     * The deterministic order of competing holds: since when each has held its time, then id. That is its creation,
     * except for a hold adopted again from its token after it was lost (with a dead Redis, say): it holds its time
     * only since the adoption. By its token's creation time it would take the time of a hold made while it was lost,
     * which has kept the time since (a second failover's SQL store, which forgot that hold at the first failback,
     * lets the adoption in).
     */
    private static boolean earlier(RedisTemporaryStore.Contender a, RedisTemporaryStore.Contender b) {
        return Comparator.comparing(RedisTemporaryStore.Contender::heldSince)
                .thenComparing(rival -> rival.hold().id()).compare(a, b) < 0;
    }
}
