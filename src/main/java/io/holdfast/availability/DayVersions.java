package io.holdfast.availability;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.StorageMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The version of each (staff member, day), rising with every change a viewer of that day should see; the effective
 * version of a day is the larger of its own and the staff member's schedule version. Kept in Redis while the
 * temporary state is (one key per day, hash-tagged with the staff member), in SQL otherwise. Versions are
 * {@code max(previous + 1, now in ms)}.
 *
 * <p>Versions never go back, across a failover, a failback and on every instance: the store a switch moves to has
 * not seen the other's latest versions (a day changed only in Redis reads 0 in SQL). So before an instance first
 * reads or raises versions in the store it switched to, it lays a floor under every day of every staff member: it
 * raises each schedule version (which every day takes on) to {@link #floorAbove above} the highest version SQL knows
 * and the clock, in both stores when both answer. Redis cannot be read after a failover; its versions came from
 * the instances' clocks, which {@link #SWITCH_MARGIN} is assumed to cover. Every day's version rises once at a
 * switch, so every viewer refetches, which is what it should do when the state moved.
 */
@Component
public class DayVersions {

    private static final Logger log = LoggerFactory.getLogger(DayVersions.class);
    /**
     * How far a switch's floor lies above the clock: more than the clocks of two instances differ by, and than the
     * versions one day can gain beyond the clock (one per change within the same millisecond).
     */
    static final Duration SWITCH_MARGIN = Duration.ofSeconds(1);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final RedisFirst router;
    private final RedisDayVersions redis;
    private final Clock clock;
    private final Object floorLock = new Object();
    /**
     * How long {@link #recent} answers from this instance's last read or raise of a day's version
     * ({@code holdfast.availability.version-reuse}); short enough to be one of the moments a request could have
     * arrived at.
     */
    private final long reuseNanos;
    /** The failover and failback counts whose floors this instance has laid. */
    private volatile long sqlFloorFor;
    private volatile long redisFloorFor;
    /** Each day's version as this instance last read or raised it ({@link #recent}). */
    private final Cache<Day, Known> known;
    /** Raised with every schedule version this instance raises: a day's known version is then no longer its own. */
    private final AtomicLong scheduleRaises = new AtomicLong();
    /** The days whose version is being read ahead for {@link #recent}, with when the read was sent (nanoTime). */
    private final Map<Day, Long> refreshing = new ConcurrentHashMap<>();

    DayVersions(JdbcClient jdbc, PlatformTransactionManager transactionManager,
            RedisFirst router, RedisDayVersions redis, Clock clock, VersionSettings settings) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.router = router;
        this.redis = redis;
        this.clock = clock;
        this.sqlFloorFor = router.failoverCount();
        this.redisFloorFor = router.failbackCount();
        this.reuseNanos = settings.versionReuse().toNanos();
        // Entries outlive their use a little, so a day polled again soon finds its record to merge into.
        this.known = Caffeine.newBuilder().maximumSize(10_000)
                .expireAfterWrite(Math.max(reuseNanos, 1_000_000) * 10, TimeUnit.NANOSECONDS).build();
    }

    /** The effective version of a day; 0 when nothing ever changed it. */
    public long current(long staffId, LocalDate day) {
        Day key = new Day(staffId, day);
        long epoch = epoch();
        long readAt = System.nanoTime();
        long version = routed(() -> redis.highest(keys(staffId, day)), () -> currentInSql(staffId, day));
        learn(key, version, readAt, epoch);
        return version;
    }

    /**
     * The effective version of a day as this instance read or raised it at most the version reuse ago
     * ({@link VersionSettings}), else as {@link #current}: for the hot reads that only ask whether a day moved (the
     * unchanged poll, a cached day's reuse of its holds), which then cost no round trip to the store while the day
     * is read many times a second (issue #13). A change made through this instance shows at once, since its raise is what is known; one made on
     * another instance within the reuse. A raise of the staff member's schedule here, or a switch between the
     * stores, makes everything known before it unknown.
     */
    public long recent(long staffId, LocalDate day) {
        Day key = new Day(staffId, day);
        Known last = known.getIfPresent(key);
        long epoch = epoch();
        if (last == null || last.epoch() != epoch) {
            return current(staffId, day);
        }
        long now = System.nanoTime();
        long age = now - last.at();
        if (age >= reuseNanos) {
            return current(staffId, day);
        }
        if (age >= reuseNanos - reuseNanos / 4) {
            readLater(key, now, epoch);
        }
        return last.version();
    }

    /**
     * In the last quarter of its reuse a day's version is read anew in the background, one read at a time, while the
     * known one still answers: a day read by many requests a second is read about once per three quarters of the
     * reuse, and no request waits for it (issue #13: the requests that waited on the read, parked and woken, were most of its
     * cost). A read that fails or has not come back changes nothing: once the reuse is over, the next request reads
     * the version itself (and fails over, as any Redis call does). Only on Redis, once the floor of the last switch
     * back is laid ({@link #routed} lays it); in SQL a request reads at the end of the reuse.
     */
    private void readLater(Day day, long now, long epoch) {
        if (router.mode() != StorageMode.REDIS || router.failbackCount() != redisFloorFor) {
            return;
        }
        Long sent = refreshing.get(day);
        boolean mine = sent == null ? refreshing.putIfAbsent(day, now) == null
                : now - sent >= reuseNanos && refreshing.replace(day, sent, now); // a read that never came back
        if (!mine) {
            return;
        }
        Runnable done = () -> refreshing.remove(day, now);
        try {
            redis.readLater(keys(day.staffId(), day.day()), version -> learn(day, version, now, epoch), done);
        } catch (RuntimeException unreachable) {
            done.run();
            log.debug("Could not read the version of {} ahead", day, unreachable);
        }
    }

    /** What makes a known version stale at once: a schedule raised here, a failover, a failback. */
    private long epoch() {
        return scheduleRaises.get() + router.failoverCount() + router.failbackCount();
    }

    /**
     * Keeps a version read (or raised) at {@code at} under {@code epoch}, unless one of a later epoch, a higher
     * version or a later read is known: versions never go back, so the highest of one epoch is the freshest.
     */
    private void learn(Day day, long version, long at, long epoch) {
        known.asMap().merge(day, new Known(version, at, epoch), (kept, learned) -> later(kept, learned) ? kept : learned);
    }

    private static boolean later(Known a, Known b) {
        if (a.epoch() != b.epoch()) {
            return a.epoch() > b.epoch();
        }
        return a.version() != b.version() ? a.version() > b.version() : a.at() - b.at() >= 0;
    }

    private record Day(long staffId, LocalDate day) {
    }

    /** A version, when it was read (System.nanoTime) and under which {@link #epoch}. */
    private record Known(long version, long at, long epoch) {
    }

    /**
     * The effective version of a day as the temporary store reads it together with the day's holds and selections
     * ({@link HeldTimes#liveDay}): on Redis its keys travel in the store's one round trip; the floors of a switch are
     * laid first, as for {@link #current}.
     */
    public VersionRead read(long staffId, LocalDate day) {
        Day key = new Day(staffId, day);
        long epoch = epoch();
        long readAt = System.nanoTime();
        return new VersionRead() {
            @Override
            public List<String> redisKeys() {
                layFloorAfterFailback();
                return keys(staffId, day);
            }

            @Override
            public long highest(List<String> values) {
                long version = RedisDayVersions.highestOf(values);
                learn(key, version, readAt, epoch);
                return version;
            }

            @Override
            public long onSql() {
                layFloorAfterFailover();
                long version = currentInSql(staffId, day);
                learn(key, version, readAt, epoch);
                return version;
            }
        };
    }

    private static List<String> keys(long staffId, LocalDate day) {
        return List.of(dayKey(staffId, day), scheduleKey(staffId));
    }

    private long currentInSql(long staffId, LocalDate day) {
        long dayVersion = jdbc.sql("SELECT version FROM day_version WHERE staff_id = ? AND local_day = ?")
                .params(staffId, day).query(Long.class).optional().orElse(0L);
        return Math.max(dayVersion, scheduleVersionInSql(staffId));
    }

    /**
     * Raises the day's version; returns its effective version before and after. On Redis the same script publishes
     * {@code message} with the two versions in it; in SQL nothing is published (without Redis, changes reach other
     * instances through their versions only).
     */
    public Versions bump(long staffId, LocalDate day, VersionMessage message) {
        long epoch = epoch();
        long raisedAt = System.nanoTime();
        Versions bumped = routed(
                () -> redis.bumpAndPublish(clock.millis(), message, dayKey(staffId, day), scheduleKey(staffId)),
                () -> bumpDayInSql(staffId, day));
        learn(new Day(staffId, day), bumped.current(), raisedAt, epoch);
        return bumped;
    }

    /** Raises the staff member's schedule version, which every one of their days takes on. */
    public void bumpSchedule(long staffId) {
        try {
            routed(() -> redis.bump(clock.millis(), scheduleKey(staffId)),
                    () -> bumpScheduleInSql(staffId, clock.millis()));
        } finally {
            scheduleRaises.incrementAndGet(); // after the raise: what was read before it is stale
        }
    }

    /**
     * Runs a version call on the store the temporary state is in (a Redis failure fails over, as for any temporary
     * state), after this instance has laid the floor of the last switch into that store.
     */
    private <T> T routed(Supplier<T> onRedis, Supplier<T> onSql) {
        return router.call(() -> {
            layFloorAfterFailback();
            return onRedis.get();
        }, () -> {
            layFloorAfterFailover();
            return onSql.get();
        });
    }

    /**
     * After a failback: SQL knows every version served since the failover, so the floor lies above the highest of
     * them; it goes into SQL as well, for instances that have not switched back yet.
     */
    private void layFloorAfterFailback() {
        long failbacks = router.failbackCount();
        if (failbacks != redisFloorFor) {
            layFloor("Failback", true, () -> redisFloorFor = failbacks, () -> failbacks == redisFloorFor);
        }
    }

    /** After a failover: Redis cannot be read, its versions are below the clock plus the margin. */
    private void layFloorAfterFailover() {
        long failovers = router.failoverCount();
        if (failovers != sqlFloorFor) {
            layFloor("Failover", false, () -> sqlFloorFor = failovers, () -> failovers == sqlFloorFor);
        }
    }

    private void layFloor(String switchName, boolean intoRedis, Runnable done, java.util.function.BooleanSupplier laid) {
        synchronized (floorLock) {
            if (laid.getAsBoolean()) {
                return;
            }
            long floor = floorAbove(highestInSql());
            List<Long> staff = staffIds();
            staff.forEach(staffId -> bumpScheduleInSql(staffId, floor));
            if (intoRedis) {
                staff.forEach(staffId -> redis.bump(floor, scheduleKey(staffId)));
            }
            log.info("{}: versions of {} staff members raised to at least {}", switchName, staff.size(), floor);
            done.run();
        }
    }

    private long floorAbove(long highestKnown) {
        return Math.max(highestKnown, clock.millis()) + SWITCH_MARGIN.toMillis();
    }

    private long highestInSql() {
        long days = jdbc.sql("SELECT MAX(version) FROM day_version").query(Long.class).optional().orElse(0L);
        long schedules = jdbc.sql("SELECT MAX(version) FROM schedule_version").query(Long.class).optional().orElse(0L);
        return Math.max(days, schedules);
    }

    private List<Long> staffIds() {
        return jdbc.sql("SELECT id FROM staff").query(Long.class).list();
    }

    private long scheduleVersionInSql(long staffId) {
        return jdbc.sql("SELECT version FROM schedule_version WHERE staff_id = ?").param(staffId)
                .query(Long.class).optional().orElse(0L);
    }

    private Versions bumpDayInSql(long staffId, LocalDate day) {
        return bumpInSql("day_version", "staff_id = ? AND local_day = ?", List.of(staffId, day),
                "(staff_id, local_day, version) VALUES (?, ?, ?)", List.of(staffId, day),
                () -> scheduleVersionInSql(staffId), clock.millis());
    }

    private Versions bumpScheduleInSql(long staffId, long atLeast) {
        return bumpInSql("schedule_version", "staff_id = ?", List.of(staffId), "(staff_id, version) VALUES (?, ?)",
                List.of(staffId), () -> 0L, atLeast);
    }

    private Versions bumpInSql(String table, String where, List<Object> key, String insert, List<Object> insertKey,
            LongSupplier floor, long atLeast) {
        for (int attempt = 0; ; attempt++) {
            try {
                return transactions.execute(status -> {
                    Optional<Long> previous = jdbc.sql("SELECT version FROM " + table + " WHERE " + where + " FOR UPDATE")
                            .params(key).query(Long.class).optional();
                    long effective = Math.max(previous.orElse(0L), floor.getAsLong());
                    long version = Math.max(effective + 1, atLeast);
                    if (previous.isPresent()) {
                        jdbc.sql("UPDATE " + table + " SET version = ? WHERE " + where)
                                .params(concat(List.of(version), key)).update();
                    } else {
                        jdbc.sql("INSERT INTO " + table + " " + insert).params(concat(insertKey, List.of(version))).update();
                    }
                    return new Versions(effective, version);
                });
            } catch (DuplicateKeyException raced) {
                if (attempt >= 3) {
                    throw raced;
                }
                // another request created the row first: raise it instead
            }
        }
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static String dayKey(long staffId, LocalDate day) {
        return "hf:{s:" + staffId + "}:v:" + day;
    }

    static String scheduleKey(long staffId) {
        return "hf:{s:" + staffId + "}:v:schedule";
    }
}
