package io.holdfast.booking.web;

import java.util.function.Supplier;

import io.holdfast.web.ApiProblem;
import io.holdfast.web.ProblemCode;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a request at most once per Idempotency-Key: the same key and body get the first answer again (success or
 * refusal), the same key with another body gets 422, and parallel duplicates wait for the first to finish. The
 * answer is kept sealed ({@link IdempotencySeal}): it carries the booking's manage token.
 */
@Component
class Idempotency {

    private static final long WAIT_MILLIS = 15_000;

    private final IdempotencyRecords records;
    private final IdempotencySeal seal;
    private final JsonMapper json;

    Idempotency(IdempotencyRecords records, IdempotencySeal seal, JsonMapper json) {
        this.records = records;
        this.seal = seal;
        this.json = json;
    }

    /** An answer as sent: status and JSON body. */
    record Answer(int status, String body) {
    }

    Answer once(String idempotencyKey, String requestHash, Supplier<Object> work, int successStatus) {
        String key = seal.rowKey(idempotencyKey);
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            IdempotencyRecords.Claim claim = records.claim(key, requestHash);
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

    private Answer run(String key, String idempotencyKey, Supplier<Object> work, int successStatus) {
        Answer answer;
        try {
            answer = new Answer(successStatus, json.writeValueAsString(work.get()));
        } catch (ApiProblem refused) {
            answer = refusedAnswer(refused);
        } catch (io.holdfast.Refusal refused) {
            answer = refusedAnswer(ApiProblem.of(refused));
        } catch (RuntimeException failure) {
            records.abandon(key);
            throw failure;
        }
        records.complete(key, answer.status(), seal.seal(idempotencyKey, answer.body()));
        return answer;
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
