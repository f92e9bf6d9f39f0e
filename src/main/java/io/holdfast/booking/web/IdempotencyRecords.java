package io.holdfast.booking.web;

import static io.holdfast.UtcColumns.fromColumn;
import static io.holdfast.UtcColumns.toColumn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

/**
 * Idempotency-Key bookkeeping. A key is claimed by inserting its row before the work starts (the primary key
 * lets exactly one request win, on every database); the winner stores the response it sent, and every later
 * request with the same key and body replays it. Claims are committed on their own, so waiting requests never
 * hold a database lock.
 */
@Repository
class IdempotencyRecords {

    /** A claim older than this was abandoned by a crashed instance and may be taken over. */
    private static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);
    private static final Duration KEPT_FOR = Duration.ofHours(24);
    /** Coarser than any column's rounding of {@code created_at} (microseconds), finer than two claims of one key. */
    private static final Duration COLUMN_PRECISION = Duration.ofMillis(1);

    private final JdbcClient jdbc;
    private final Clock clock;

    IdempotencyRecords(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    sealed interface Claim permits Won, Replay, Mismatch, InProgress {
    }

    record Won() implements Claim {
    }

    record Replay(int status, String body) implements Claim {
    }

    record Mismatch() implements Claim {
    }

    record InProgress() implements Claim {
    }

    /** Claims the key for a request of this hash, the claim made at {@code now}. */
    Claim claim(String key, String requestHash, Instant now) {
        try {
            jdbc.sql("INSERT INTO idempotency_record (idem_key, request_hash, created_at) VALUES (?, ?, ?)")
                    .params(key, requestHash, toColumn(now)).update();
            return new Won();
        } catch (DuplicateKeyException taken) {
            record Row(String hash, Integer status, String body, Instant createdAt) {
            }
            Optional<Row> row = jdbc.sql("SELECT request_hash, status, body, created_at FROM idempotency_record WHERE idem_key = ?")
                    .param(key)
                    .query((rs, n) -> new Row(rs.getString(1), (Integer) rs.getObject(2, Integer.class), rs.getString(3),
                            fromColumn(rs.getObject(4, LocalDateTime.class))))
                    .optional();
            if (row.isEmpty()) {
                return claim(key, requestHash, now); // the other claim was abandoned and removed meanwhile
            }
            if (!row.get().hash().equals(requestHash)) {
                return new Mismatch();
            }
            if (row.get().status() != null) {
                return new Replay(row.get().status(), row.get().body());
            }
            if (row.get().createdAt().plus(ABANDONED_AFTER).isBefore(now)) {
                jdbc.sql("DELETE FROM idempotency_record WHERE idem_key = ? AND status IS NULL").param(key).update();
                return claim(key, requestHash, now);
            }
            return new InProgress();
        }
    }

    void complete(String key, int status, String body) {
        jdbc.sql("UPDATE idempotency_record SET status = ?, body = ? WHERE idem_key = ?")
                .params(status, body, key).update();
    }

    /** Stores an answer later, when the database was unreachable at the time: see {@link #abandon(String, Instant)}. */
    void complete(String key, int status, String body, Instant claimedBefore) {
        jdbc.sql("UPDATE idempotency_record SET status = ?, body = ? WHERE idem_key = ? AND status IS NULL AND created_at < ?")
                .params(status, body, key, toColumn(claimedBefore)).update();
    }

    /** Gives the key back after an unexpected failure, so a retry runs the request again. */
    void abandon(String key) {
        jdbc.sql("DELETE FROM idempotency_record WHERE idem_key = ? AND status IS NULL").param(key).update();
    }

    /**
     * Gives the key back later, when the database was unreachable at the failure: only a claim made before
     * {@code claimedBefore}, so a claim another instance made after this one lapsed ({@link #ABANDONED_AFTER}) stays.
     */
    void abandon(String key, Instant claimedBefore) {
        jdbc.sql("DELETE FROM idempotency_record WHERE idem_key = ? AND status IS NULL AND created_at < ?")
                .params(key, toColumn(claimedBefore)).update();
    }

    /**
     * Gives back the claim a {@link #claim} made at {@code claimedAt} whose answer never came (the insert may have
     * committed, its acknowledgement lost with the connection): the row of that insert only, recognised by its hash
     * and its time (the column may keep less than the clock's precision), and deleted by the time the database holds.
     */
    void abandonUnanswered(String key, String requestHash, Instant claimedAt) {
        Optional<LocalDateTime> written = jdbc.sql(
                "SELECT created_at FROM idempotency_record WHERE idem_key = ? AND request_hash = ? AND status IS NULL")
                .params(key, requestHash).query(LocalDateTime.class).optional();
        if (written.isPresent()
                && Duration.between(fromColumn(written.get()), claimedAt).abs().compareTo(COLUMN_PRECISION) < 0) {
            jdbc.sql("DELETE FROM idempotency_record WHERE idem_key = ? AND status IS NULL AND created_at = ?")
                    .params(key, written.get()).update();
        }
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void forgetOld() {
        jdbc.sql("DELETE FROM idempotency_record WHERE created_at < ?")
                .param(toColumn(clock.instant().minus(KEPT_FOR))).update();
    }
}
