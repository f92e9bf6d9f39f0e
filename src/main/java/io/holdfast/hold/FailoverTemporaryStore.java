package io.holdfast.hold;

import io.holdfast.availability.Selection;
import io.holdfast.availability.HeldGranule;
import io.holdfast.availability.LiveDay;
import io.holdfast.availability.VersionRead;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.StorageMode;

/**
 * Routes every temporary-state call of the hold module through {@link RedisFirst}: to Redis while it serves; on a
 * Redis error or timeout the same call is served by the SQL store at once (the caller never sees the failure) and
 * the server switches to SQL, so later calls go straight to SQL, until the failback ({@link FailbackSync}) has
 * copied the SQL state back into Redis.
 */
class FailoverTemporaryStore implements TemporaryStore {

    private final RedisTemporaryStore redis;
    private final SqlTemporaryStore sql;
    private final RedisFirst router;

    FailoverTemporaryStore(RedisTemporaryStore redis, SqlTemporaryStore sql, RedisFirst router) {
        this.redis = redis;
        this.sql = sql;
        this.router = router;
    }

    @Override
    public HoldOutcome hold(LeaseRequest request, Duration ttl, int maxSlotsPerClient, int maxSlotsPerAddress) {
        return route(store -> store.hold(request, ttl, maxSlotsPerClient, maxSlotsPerAddress));
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
    public LiveDay liveDay(long staffId, LocalDate date, long fromGranule, long toGranule, VersionRead version) {
        return route(store -> store.liveDay(staffId, date, fromGranule, toGranule, version));
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
        List<SlotHold> lapsed = new ArrayList<>(sql.takeLapsed(max));
        lapsed.addAll(router.onRedisOnly(() -> redis.takeLapsed(max), List.of()));
        return lapsed;
    }

    @Override
    public List<Selection> takeLapsedSelections(int max) {
        List<Selection> lapsed = new ArrayList<>(sql.takeLapsedSelections(max));
        lapsed.addAll(router.onRedisOnly(() -> redis.takeLapsedSelections(max), List.of()));
        return lapsed;
    }

    @Override
    public Listing listLive() {
        return router.call(redis::listLive, sql::listLive);
    }

    @Override
    public SelectionListing listLiveSelections() {
        return router.call(redis::listLiveSelections, sql::listLiveSelections);
    }

    @Override
    public StorageMode mode() {
        return router.mode();
    }

    private <T> T route(Function<TemporaryStore, T> call) {
        return router.call(() -> call.apply(redis), () -> call.apply(sql));
    }
}
