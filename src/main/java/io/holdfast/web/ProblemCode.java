package io.holdfast.web;

import org.springframework.http.HttpStatus;

/** The machine codes of API.md, each with the HTTP status it always travels with. */
public enum ProblemCode {
    VALIDATION_FAILED(HttpStatus.BAD_REQUEST),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED),
    FORBIDDEN(HttpStatus.FORBIDDEN),
    NOT_FOUND(HttpStatus.NOT_FOUND),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE),
    SLOT_UNAVAILABLE(HttpStatus.CONFLICT),
    SLOT_HELD(HttpStatus.CONFLICT),
    SLOT_BOOKED(HttpStatus.CONFLICT),
    HOLD_LIMIT_REACHED(HttpStatus.CONFLICT),
    TOO_LATE(HttpStatus.CONFLICT),
    REQUEST_IN_PROGRESS(HttpStatus.CONFLICT),
    IN_USE(HttpStatus.CONFLICT),
    BOOKINGS_AFFECTED(HttpStatus.CONFLICT),
    HOLD_EXPIRED(HttpStatus.GONE),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT),
    OTP_INVALID(HttpStatus.UNAUTHORIZED),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS),
    /** The database cannot be reached: nothing was written, the same request may be sent again (Retry-After). */
    SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR);

    private final HttpStatus status;

    ProblemCode(HttpStatus status) {
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    /** The wire form: {@code slot_held}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static ProblemCode forStatus(int status) {
        for (ProblemCode code : values()) {
            if (code.status.value() == status) {
                return code;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : VALIDATION_FAILED;
    }
}
