package io.holdfast.web;

/**
 * A refusal the client can act on: carries one of the API's machine codes and a human detail.
 * Thrown anywhere in the request path; {@link ProblemHandler} turns it into problem+json.
 */
public class ApiProblem extends RuntimeException {

    private final ProblemCode code;
    private final java.time.Duration retryAfter;
    private final java.util.Map<String, Object> properties;

    public ApiProblem(ProblemCode code, String detail) {
        this(code, detail, null, java.util.Map.of());
    }

    /** A refusal whose body carries more than the detail, e.g. the bookings a change would strand. */
    public ApiProblem(ProblemCode code, String detail, java.util.Map<String, Object> properties) {
        this(code, detail, null, properties);
    }

    private ApiProblem(ProblemCode code, String detail, java.time.Duration retryAfter,
            java.util.Map<String, Object> properties) {
        super(detail, null, false, false);
        this.code = code;
        this.retryAfter = retryAfter;
        this.properties = java.util.Map.copyOf(properties);
    }

    /** 429 with {@code Retry-After}: the client may try again after this long (rounded up to whole seconds). */
    public static ApiProblem rateLimited(java.time.Duration retryAfter, String detail) {
        return new ApiProblem(ProblemCode.RATE_LIMITED, detail, retryAfter, java.util.Map.of());
    }

    /** 503 with {@code Retry-After}: a server the request needs (the database) is unavailable for now. */
    public static ApiProblem unavailable(java.time.Duration retryAfter, String detail) {
        return new ApiProblem(ProblemCode.SERVICE_UNAVAILABLE, detail, retryAfter, java.util.Map.of());
    }

    public ProblemCode code() {
        return code;
    }

    /** Members of the problem body beyond type, title, status, detail and code. */
    public java.util.Map<String, Object> properties() {
        return properties;
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
        org.springframework.http.ProblemDetail problem = ProblemHandler.problem(code, getMessage());
        properties.forEach(problem::setProperty);
        return problem;
    }

    /** A feature's refusal as the API answers it: its code, with the status that code travels with. */
    public static ApiProblem of(io.holdfast.Refusal refusal) {
        return new ApiProblem(ProblemCode.valueOf(refusal.code().toUpperCase(java.util.Locale.ROOT)),
                refusal.getMessage(), refusal.retryAfter().orElse(null), refusal.details());
    }

    public static ApiProblem notFound(String what, Object id) {
        return new ApiProblem(ProblemCode.NOT_FOUND, what + " " + id + " does not exist");
    }

    public static ApiProblem invalid(String detail) {
        return new ApiProblem(ProblemCode.VALIDATION_FAILED, detail);
    }
}
