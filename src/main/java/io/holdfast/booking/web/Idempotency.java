package io.holdfast.booking.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.holdfast.web.ApiProblem;
import io.holdfast.web.ProblemCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a request at most once per Idempotency-Key: the same key and body get the first answer again (success or
 * refusal), the same key with another body gets 422, and parallel duplicates wait for the first to finish. The
 * answer is kept sealed ({@link IdempotencySeal}): it carries the booking's manage token.
 */
@Component
class Idempotency {

    private static final long WAIT_MILLIS = 15_000;
    /** Well inside a lapsed claim's age ({@code IdempotencyRecords.ABANDONED_AFTER}, 2 min): see {@link Unfinished}. */
    private static final Duration GIVE_BACK_FOR = Duration.ofSeconds(30);
    /** As long as a claim lives before another instance may take it over ({@code IdempotencyRecords.ABANDONED_AFTER}). */
    private static final Duration UNANSWERED_KEPT_FOR = Duration.ofMinutes(2);
    private static final Logger log = LoggerFactory.getLogger(Idempotency.class);

    private final IdempotencyRecords records;
    private final IdempotencySeal seal;
    private final JsonMapper json;
    private final Clock clock;
    /** Claims whose end (answer or give-back) the database could not take yet. */
    private final Map<String, Unfinished> unfinished = new ConcurrentHashMap<>();
    /** Claims whose insert the database did not answer, to give back if it wrote them ({@link #claim}). */
    private final Map<String, Unanswered> unanswered = new ConcurrentHashMap<>();

    Idempotency(IdempotencyRecords records, IdempotencySeal seal, JsonMapper json, Clock clock) {
        this.records = records;
        this.seal = seal;
        this.json = json;
        this.clock = clock;
    }

    /** An answer as sent: status and JSON body. */
    record Answer(int status, String body) {
    }

    /**
     * Given to the work: it may store its successful answer in its own transaction, before that commits, so that the
     * answer commits with what it did (one statement in that transaction instead of a transaction of its own after
     * it, issue #13). Work that does not is answered as before: its answer is stored once it returns.
     */
    interface InTransaction {

        /** Stores {@code result} as the success answer, in the caller's transaction (which must be active). */
        void store(Object result);
    }

    /** The success answer the work stored in its transaction, if it did. */
    private final class StoredInTransaction implements InTransaction {

        private final String key;
        private final String idempotencyKey;
        private final int status;
        private Answer answer;

        StoredInTransaction(String key, String idempotencyKey, int status) {
            this.key = key;
            this.idempotencyKey = idempotencyKey;
            this.status = status;
        }

        @Override
        public void store(Object result) {
            if (!TransactionSynchronizationManager.isActualTransactionActive()) {
                throw new IllegalStateException("An answer is stored in the work's transaction, and none is active");
            }
            String body = json.writeValueAsString(result);
            records.complete(key, status, seal.seal(idempotencyKey, body));
            answer = new Answer(status, body);
        }
    }

    Answer once(String idempotencyKey, String requestHash, Function<InTransaction, Object> work, int successStatus) {
        String key = seal.rowKey(idempotencyKey);
        finishUnfinished(key);
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            IdempotencyRecords.Claim claim = claim(key, requestHash);
            if (claim instanceof IdempotencyRecords.Replay replay) {
                return new Answer(replay.status(), seal.open(idempotencyKey, replay.body()));
            }
            if (claim instanceof IdempotencyRecords.Mismatch) {
                throw new ApiProblem(ProblemCode.IDEMPOTENCY_KEY_REUSED,
                        "This Idempotency-Key was used with a different request");
            }
            if (claim instanceof IdempotencyRecords.Won) {
                return run(key, idempotencyKey, work, successStatus);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new ApiProblem(ProblemCode.REQUEST_IN_PROGRESS,
                        "A request with this Idempotency-Key is still running; retry shortly");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new ApiProblem(ProblemCode.REQUEST_IN_PROGRESS, "Interrupted while waiting for the first request");
            }
        }
    }

    /**
     * A claim whose insert got no answer may still have committed (the database went silent after it took the
     * statement): the key is then given back once the database answers, the row of that insert only, so that the
     * retry the 503 invites runs the request instead of waiting as for one in progress until the claim lapses.
     */
    private IdempotencyRecords.Claim claim(String key, String requestHash) {
        Instant claimedAt = clock.instant();
        try {
            return records.claim(key, requestHash, claimedAt);
        } catch (CannotGetJdbcConnectionException notSent) {
            throw notSent; // no connection, so no statement reached the database
        } catch (DataAccessException noAnswer) {
            unanswered.put(key, new Unanswered(claimedAt, requestHash));
            throw noAnswer;
        }
    }

    private Answer run(String key, String idempotencyKey, Function<InTransaction, Object> work, int successStatus) {
        Answer answer;
        StoredInTransaction stored = new StoredInTransaction(key, idempotencyKey, successStatus);
        try {
            Object result = work.apply(stored);
            if (stored.answer != null) {
                // Stored in the work's transaction, which committed (the work returned): nothing left to write.
                return stored.answer;
            }
            answer = new Answer(successStatus, json.writeValueAsString(result));
        } catch (ApiProblem refused) {
            answer = refusedAnswer(refused);
        } catch (io.holdfast.Refusal refused) {
            answer = refusedAnswer(ApiProblem.of(refused));
        } catch (RuntimeException failure) {
            giveBack(key, failure);
            throw failure;
        }
        String sealed = seal.seal(idempotencyKey, answer.body());
        try {
            records.complete(key, answer.status(), sealed);
        } catch (RuntimeException unreachable) {
            // The work is done (a booking committed): its answer goes out, and is stored as soon as the database
            // takes it, so a retry replays it rather than running again into its own used hold.
            log.warn("Idempotency answer not stored yet, will retry: {}", unreachable.getMessage());
            unfinished.put(key, new Unfinished(clock.instant().plus(GIVE_BACK_FOR), answer.status(), sealed));
        }
        return answer;
    }

    /**
     * A claim whose end the database did not take: the answer to store ({@code status} and sealed {@code body}), or
     * none (null) when the request failed and the key is to be given back. Only a claim made before
     * {@code claimedBefore} is touched: another instance takes a claim over only two minutes after it was made.
     */
    private record Unfinished(Instant claimedBefore, Integer status, String body) {
    }

    /** A claim made at {@code claimedAt} whose insert was not answered: given back if it was written. */
    private record Unanswered(Instant claimedAt, String requestHash) {
    }

    /**
     * Deletes an unfinished claim so that a retry runs the request again. When the database that just failed the
     * work cannot take the delete either, it is tried again every few seconds (and before a retry claims the key on
     * this instance) instead of leaving the key "in progress" (409) until the claim lapses after two minutes.
     */
    private void giveBack(String key, RuntimeException failure) {
        try {
            records.abandon(key);
        } catch (RuntimeException unreachable) {
            failure.addSuppressed(unreachable);
            unfinished.put(key, new Unfinished(clock.instant().plus(GIVE_BACK_FOR), null, null));
        }
    }

    @Scheduled(fixedDelayString = "PT2S", initialDelayString = "PT2S")
    void finishUnfinished() {
        unfinished.keySet().forEach(this::finishClaim);
        unanswered.keySet().forEach(this::giveBackUnanswered);
    }

    private void finishUnfinished(String key) {
        giveBackUnanswered(key);
        finishClaim(key);
    }

    /**
     * Tried until the claim would have lapsed anyway ({@link #UNANSWERED_KEPT_FOR}); a claim another instance makes
     * after that has another time, so it is never the one given back.
     */
    private void giveBackUnanswered(String key) {
        Unanswered pending = unanswered.get(key);
        if (pending == null) {
            return;
        }
        if (clock.instant().isAfter(pending.claimedAt().plus(UNANSWERED_KEPT_FOR))) {
            unanswered.remove(key, pending);
            return;
        }
        try {
            records.abandonUnanswered(key, pending.requestHash(), pending.claimedAt());
            unanswered.remove(key, pending);
        } catch (DataAccessException stillDown) {
            log.debug("Unanswered idempotency claim not given back yet: {}", stillDown.getMessage());
        }
    }

    private void finishClaim(String key) {
        Unfinished pending = unfinished.get(key);
        if (pending == null) {
            return;
        }
        if (clock.instant().isAfter(pending.claimedBefore().plus(GIVE_BACK_FOR))) {
            unfinished.remove(key, pending); // lapsed by now: any instance may take the key over
            return;
        }
        try {
            if (pending.status() == null) {
                records.abandon(key, pending.claimedBefore());
            } else {
                records.complete(key, pending.status(), pending.body(), pending.claimedBefore());
            }
            unfinished.remove(key, pending);
        } catch (DataAccessException stillDown) {
            log.debug("Idempotency claim not finished yet: {}", stillDown.getMessage());
        }
    }

    private Answer refusedAnswer(ApiProblem refused) {
        return new Answer(refused.code().status().value(), json.writeValueAsString(refused.toProblemDetail()));
    }

    String hash(Object request) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(request));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
