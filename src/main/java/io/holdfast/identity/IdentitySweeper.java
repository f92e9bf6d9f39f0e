package io.holdfast.identity;

import static io.holdfast.UtcColumns.toColumn;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deletes expired codes, sessions and rate-limit buckets from SQL. Reads ignore expired rows already (and a bucket
 * past its expiry is full again, so deleting it changes nothing); this only keeps the tables small.
 */
@Component
class IdentitySweeper {

    private static final Logger log = LoggerFactory.getLogger(IdentitySweeper.class);

    private final SqlCodes codes;
    private final SessionTable sessions;
    private final JdbcClient jdbc;
    private final Clock clock;

    IdentitySweeper(SqlCodes codes, SessionTable sessions, JdbcClient jdbc, Clock clock) {
        this.codes = codes;
        this.sessions = sessions;
        this.jdbc = jdbc;
        this.clock = clock;
    }


    void sweep() {
        try {
            Instant now = clock.instant();
            int removed = codes.sweep() + sessions.sweep(now)
                    + jdbc.sql("DELETE FROM rate_limit_bucket WHERE expires_at < ?").param(toColumn(now)).update();
            if (removed > 0) {
                log.debug("Swept {} expired identity rows", removed);
            }
        } catch (RuntimeException failure) {
            log.warn("Sweeping expired identity rows failed; will retry", failure);
        }
    }
}
