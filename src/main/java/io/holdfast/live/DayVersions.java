package io.holdfast.live;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import io.holdfast.hold.StorageMode;
import io.holdfast.hold.TemporaryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The version of each (staff member, day), rising with every change a viewer of that day should see; the effective
 * version of a day is the larger of its own and the staff member's schedule version. Kept in Redis while the
 * temporary state is (one key per day, hash-tagged with the staff member), in SQL otherwise. Versions are
 * {@code max(previous + 1, now in ms)}, so they keep rising across a switch between the two.
 */
@Component
public class DayVersions {

    private static final Logger log = LoggerFactory.getLogger(DayVersions.class);
    private static final RedisScript<List> BUMP = RedisScript.of(new ClassPathResource("scripts/version-bump.lua"), List.class);
    /** Longer than the longest booking window: a day's version outlives every view of it. */
    private static final Duration REDIS_TTL = Duration.ofDays(800);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final TemporaryStore store;
    private final Optional<StringRedisTemplate> redis;
    private final Clock clock;

    DayVersions(JdbcClient jdbc, PlatformTransactionManager transactionManager, TemporaryStore store,
            ObjectProvider<StringRedisTemplate> redis, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.store = store;
        this.redis = Optional.ofNullable(redis.getIfAvailable());
        this.clock = clock;
    }

    /** The effective version of a day; 0 when nothing ever changed it. */
    public long current(long staffId, LocalDate day) {
        if (inRedis()) {
            try {
                List<String> values = redis.get().opsForValue().multiGet(List.of(dayKey(staffId, day), scheduleKey(staffId)));
                return values == null ? 0 : values.stream().mapToLong(v -> v == null ? 0 : Long.parseLong(v)).max().orElse(0);
            } catch (DataAccessException unreachable) {
                log.debug("Reading a version from Redis failed; reading SQL", unreachable);
            }
        }
        long dayVersion = jdbc.sql("SELECT version FROM day_version WHERE staff_id = ? AND local_day = ?")
                .params(staffId, day).query(Long.class).optional().orElse(0L);
        long scheduleVersion = jdbc.sql("SELECT version FROM schedule_version WHERE staff_id = ?").param(staffId)
                .query(Long.class).optional().orElse(0L);
        return Math.max(dayVersion, scheduleVersion);
    }

    /** Raises the day's version; returns it before and after. */
    Versions bump(long staffId, LocalDate day) {
        long before = current(staffId, day);
        Versions bumped = inRedis() ? bumpInRedis(dayKey(staffId, day))
                .orElseGet(() -> bumpDayInSql(staffId, day)) : bumpDayInSql(staffId, day);
        return new Versions(before, bumped.current());
    }

    /** Raises the staff member's schedule version, which every one of their days takes on. */
    void bumpSchedule(long staffId) {
        if (!inRedis() || bumpInRedis(scheduleKey(staffId)).isEmpty()) {
            bumpInSql("schedule_version", "staff_id = ?", List.of(staffId), "(staff_id, version) VALUES (?, ?)",
                    List.of(staffId));
        }
    }

    private boolean inRedis() {
        return redis.isPresent() && store.mode() == StorageMode.REDIS;
    }

    private Optional<Versions> bumpInRedis(String key) {
        try {
            List<?> result = redis.get().execute(BUMP, List.of(key), String.valueOf(clock.millis()),
                    String.valueOf(REDIS_TTL.toMillis()));
            return Optional.of(new Versions(((Number) result.get(0)).longValue(), ((Number) result.get(1)).longValue()));
        } catch (DataAccessException unreachable) {
            log.debug("Raising a version in Redis failed; raising it in SQL", unreachable);
            return Optional.empty();
        }
    }

    private Versions bumpDayInSql(long staffId, LocalDate day) {
        return bumpInSql("day_version", "staff_id = ? AND local_day = ?", List.of(staffId, day),
                "(staff_id, local_day, version) VALUES (?, ?, ?)", List.of(staffId, day));
    }

    private Versions bumpInSql(String table, String where, List<Object> key, String insert, List<Object> insertKey) {
        for (int attempt = 0; ; attempt++) {
            try {
                return transactions.execute(status -> {
                    Optional<Long> previous = jdbc.sql("SELECT version FROM " + table + " WHERE " + where + " FOR UPDATE")
                            .params(key).query(Long.class).optional();
                    long version = Math.max(previous.orElse(0L) + 1, clock.millis());
                    if (previous.isPresent()) {
                        jdbc.sql("UPDATE " + table + " SET version = ? WHERE " + where)
                                .params(concat(List.of(version), key)).update();
                    } else {
                        jdbc.sql("INSERT INTO " + table + " " + insert).params(concat(insertKey, List.of(version))).update();
                    }
                    return new Versions(previous.orElse(0L), version);
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
