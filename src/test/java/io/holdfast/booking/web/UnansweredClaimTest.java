package io.holdfast.booking.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.holdfast.UtcColumns;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.json.JsonMapper;

/**
 * A claim whose insert the database took but never answered (it went silent after the statement: the stall
 * DatabaseStallTest makes) is given back, so the retry the 503 invites runs the request at once instead of
 * waiting as for a request in progress until the claim lapses two minutes later; and only that insert's row is.
 * On each database, as each rounds the claim's time its own way.
 */
abstract class UnansweredClaimTest extends ServerTest {

    @Autowired
    private JdbcClient jdbc;
    @Autowired
    private IdempotencySeal seal;
    @Autowired
    private JsonMapper json;

    /** Claims are written, then the first claim's answer is lost on its way back. */
    private final AtomicBoolean loseNextAnswer = new AtomicBoolean();

    private Idempotency idempotency() {
        IdempotencyRecords records = new IdempotencyRecords(jdbc, clock) {
            @Override
            Claim claim(String key, String requestHash, Instant now) {
                Claim claim = super.claim(key, requestHash, now);
                if (loseNextAnswer.getAndSet(false)) {
                    throw new QueryTimeoutException("the database took the claim and went silent");
                }
                return claim;
            }
        };
        return new Idempotency(records, seal, json, clock);
    }

    @Test
    void aRetryRunsTheRequestWhoseClaimWasWrittenButNotAnswered() {
        Idempotency idempotency = idempotency();
        String key = "unanswered-" + UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();
        loseNextAnswer.set(true);

        assertThatThrownBy(() -> idempotency.once(key, "hash-1", stored -> "ran " + runs.incrementAndGet(), 201))
                .isInstanceOf(QueryTimeoutException.class);
        assertThat(claimsOf(key)).as("the claim the database took").isEqualTo(1);

        Idempotency.Answer retried = idempotency.once(key, "hash-1", stored -> "ran " + runs.incrementAndGet(), 201);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.body()).isEqualTo("\"ran 1\"");
        assertThat(runs).hasValue(1);
        Idempotency.Answer replayed = idempotency.once(key, "hash-1", stored -> "ran " + runs.incrementAndGet(), 201);
        assertThat(replayed.body()).as("the retry's answer is the key's from then on").isEqualTo("\"ran 1\"");
        assertThat(runs).hasValue(1);
    }

    @Test
    void anotherRequestsClaimOfTheKeyIsNotGivenBack() {
        Idempotency idempotency = idempotency();
        String key = "unanswered-" + UUID.randomUUID();
        Instant othersClaim = clock.instant().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        jdbc.sql("INSERT INTO idempotency_record (idem_key, request_hash, created_at) VALUES (?, ?, ?)")
                .params(seal.rowKey(key), "hash-1", UtcColumns.toColumn(othersClaim)).update();
        loseNextAnswer.set(true);

        // The same request again, while the first is still running: its claim finds the other's (in progress),
        // and that answer is lost.
        assertThatThrownBy(() -> idempotency.once(key, "hash-1", stored -> "ran", 201))
                .isInstanceOf(QueryTimeoutException.class);
        idempotency.finishUnfinished();

        assertThat(claimsOf(key)).as("the first request's claim stays until it ends or lapses").isEqualTo(1);
    }

    private long claimsOf(String key) {
        return jdbc.sql("SELECT COUNT(*) FROM idempotency_record WHERE idem_key = ? AND status IS NULL")
                .param(seal.rowKey(key)).query(Long.class).single();
    }
}

@ActiveProfiles("h2")
class UnansweredClaimOnH2Test extends UnansweredClaimTest {
}

@ActiveProfiles("postgresql")
class UnansweredClaimOnPostgresTest extends UnansweredClaimTest {
}

@ActiveProfiles("mariadb")
class UnansweredClaimOnMariaDbTest extends UnansweredClaimTest {
}
