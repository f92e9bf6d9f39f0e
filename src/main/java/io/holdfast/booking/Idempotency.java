package io.holdfast.booking;

import java.util.function.Supplier;

import io.holdfast.web.ApiProblem;
import io.holdfast.web.ProblemCode;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a request at most once per Idempotency-Key: the same key and body get the first answer again (success or
 * refusal), the same key with another body gets 422, and parallel duplicates wait for the first to finish.
 */
@Component
class Idempotency {

    private static final long WAIT_MILLIS = 15_000;

    private final IdempotencyRecords records;
    private final JsonMapper json;

    Idempotency(IdempotencyRecords records, JsonMapper json) {
        this.records = records;
        this.json = json;
    }

    /** An answer as sent: status and JSON body. */
    record Answer(int status, String body) {
    }

    Answer once(String key, String requestHash, Supplier<Object> work, int successStatus) {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            IdempotencyRecords.Claim claim = records.claim(key, requestHash);
            if (claim instanceof IdempotencyRecords.Replay replay) {
                return new Answer(replay.status(), replay.body());
            }
            if (claim instanceof IdempotencyRecords.Mismatch) {
                throw new ApiProblem(ProblemCode.IDEMPOTENCY_KEY_REUSED,
                        "This Idempotency-Key was used with a different request");
            }
            if (claim instanceof IdempotencyRecords.Won) {
                return run(key, work, successStatus);
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

    private Answer run(String key, Supplier<Object> work, int successStatus) {
        Answer answer;
        try {
            answer = new Answer(successStatus, json.writeValueAsString(work.get()));
        } catch (ApiProblem refused) {
            answer = new Answer(refused.code().status().value(), json.writeValueAsString(refused.toProblemDetail()));
        } catch (RuntimeException failure) {
            records.abandon(key);
            throw failure;
        }
        records.complete(key, answer.status(), answer.body());
        return answer;
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
