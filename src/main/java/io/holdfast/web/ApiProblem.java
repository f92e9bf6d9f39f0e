package io.holdfast.web;

/**
 * A refusal the client can act on: carries one of the API's machine codes and a human detail.
 * Thrown anywhere in the request path; {@link ProblemHandler} turns it into problem+json.
 */
public class ApiProblem extends RuntimeException {

    private final ProblemCode code;
    private final java.time.Duration retryAfter;

    public ApiProblem(ProblemCode code, String detail) {
        this(code, detail, null);
    }

    private ApiProblem(ProblemCode code, String detail, java.time.Duration retryAfter) {
        super(detail, null, false, false);
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** 429 with {@code Retry-After}: the client may try again after this long (rounded up to whole seconds). */
    public static ApiProblem rateLimited(java.time.Duration retryAfter, String detail) {
        return new ApiProblem(ProblemCode.RATE_LIMITED, detail, retryAfter);
    }

    public ProblemCode code() {
        return code;
    }

    /** Seconds for a {@code Retry-After} header, when the refusal is temporary. */
    public java.util.OptionalLong retryAfterSeconds() {
        if (retryAfter == null) {
            return java.util.OptionalLong.empty();
        }
        long millis = Math.max(0, retryAfter.toMillis());
        return java.util.OptionalLong.of(Math.max(1, (millis + 999) / 1000));
    }

    /** The RFC 9457 body of this problem, as it is sent (and stored for idempotent replays). */
    public org.springframework.http.ProblemDetail toProblemDetail() {
        return ProblemHandler.problem(code, getMessage());
    }

    public static ApiProblem notFound(String what, Object id) {
        return new ApiProblem(ProblemCode.NOT_FOUND, what + " " + id + " does not exist");
    }

    public static ApiProblem invalid(String detail) {
        return new ApiProblem(ProblemCode.VALIDATION_FAILED, detail);
    }
}
