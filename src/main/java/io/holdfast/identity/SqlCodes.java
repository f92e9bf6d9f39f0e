package io.holdfast.identity;

import static io.holdfast.UtcColumns.fromColumn;
import static io.holdfast.UtcColumns.toColumn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One-time codes in SQL ({@code otp_code}, their tries per client network in {@code otp_try}): used while Redis is
 * away or not configured. A try locks the code's row, so parallel guesses are counted one after the other, exactly
 * as the Redis script counts them.
 */
@Repository
class SqlCodes {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    SqlCodes(JdbcClient jdbc, PlatformTransactionManager transactionManager, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.clock = clock;
    }

    void issue(String emailKey, String codeHash, Duration ttl) {
        LocalDateTime expiresAt = toColumn(clock.instant().plus(ttl));
        Boolean replaced = transactions.execute(status -> {
            // The code's row first: its lock keeps a parallel try from counting against the new code.
            boolean found = replace(emailKey, codeHash, expiresAt) == 1;
            jdbc.sql("DELETE FROM otp_try WHERE email_key = ?").param(emailKey).update();
            return found;
        });
        if (Boolean.TRUE.equals(replaced)) {
            return;
        }
        try {
            jdbc.sql("INSERT INTO otp_code (email_key, code_hash, attempts, expires_at) VALUES (?, ?, 0, ?)")
                    .params(emailKey, codeHash, expiresAt).update();
        } catch (DuplicateKeyException raced) {
            // Another request for the same address inserted first; the later code wins, as in Redis.
            replace(emailKey, codeHash, expiresAt);
        }
    }

    private int replace(String emailKey, String codeHash, LocalDateTime expiresAt) {
        return jdbc.sql("UPDATE otp_code SET code_hash = ?, attempts = 0, expires_at = ? WHERE email_key = ?")
                .params(codeHash, expiresAt, emailKey).update();
    }

    CodeTry tryCode(String emailKey, String networkKey, int maxTriesPerNetwork, int maxTries) {
        return transactions.execute(status -> {
            record Row(String codeHash, int tries, Instant expiresAt) {
            }
            Optional<Row> row = jdbc.sql("SELECT code_hash, attempts, expires_at FROM otp_code WHERE email_key = ? FOR UPDATE")
                    .param(emailKey)
                    .query((rs, n) -> new Row(rs.getString(1), rs.getInt(2),
                            fromColumn(rs.getObject(3, LocalDateTime.class))))
                    .optional();
            if (row.isEmpty() || !row.get().expiresAt().isAfter(clock.instant())) {
                return new CodeTry.Missing();
            }
            if (row.get().tries() >= maxTries) {
                // Dead: refuse, but leave the row to the tries counted before this one, which may still be comparing
                // (a right one among them takes the code; the last wrong one deletes it).
                return new CodeTry.Dead();
            }
            int mine = jdbc.sql("SELECT attempts FROM otp_try WHERE email_key = ? AND network_key = ?")
                    .params(emailKey, networkKey).query(Integer.class).optional().orElse(0);
            if (mine >= maxTriesPerNetwork) {
                return new CodeTry.Dead();
            }
            // Under the code row's lock: no parallel try of this code can insert the same row meanwhile.
            if (mine == 0) {
                jdbc.sql("INSERT INTO otp_try (email_key, network_key, attempts) VALUES (?, ?, 1)")
                        .params(emailKey, networkKey).update();
            } else {
                jdbc.sql("UPDATE otp_try SET attempts = attempts + 1 WHERE email_key = ? AND network_key = ?")
                        .params(emailKey, networkKey).update();
            }
            jdbc.sql("UPDATE otp_code SET attempts = attempts + 1 WHERE email_key = ?").param(emailKey).update();
            return new CodeTry.Counted(row.get().codeHash(), row.get().tries() + 1, false);
        });
    }

    /** Deletes the code if it is still this one (used, or killed after its last try). */
    boolean take(String emailKey, String codeHash) {
        boolean taken = jdbc.sql("DELETE FROM otp_code WHERE email_key = ? AND code_hash = ?")
                .params(emailKey, codeHash).update() == 1;
        if (taken) {
            jdbc.sql("DELETE FROM otp_try WHERE email_key = ?").param(emailKey).update();
        }
        return taken;
    }

    void delete(String emailKey) {
        jdbc.sql("DELETE FROM otp_code WHERE email_key = ?").param(emailKey).update();
        jdbc.sql("DELETE FROM otp_try WHERE email_key = ?").param(emailKey).update();
    }

    int sweep() {
        int codes = jdbc.sql("DELETE FROM otp_code WHERE expires_at < ?").param(toColumn(clock.instant())).update();
        jdbc.sql("DELETE FROM otp_try WHERE email_key NOT IN (SELECT email_key FROM otp_code)").update();
        return codes;
    }
}
