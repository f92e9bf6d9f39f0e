package io.holdfast;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A refusal the caller can act on, in the booking domain's own words: a machine code from API.md's vocabulary
 * ({@code slot_held}, {@code hold_expired}, {@code in_use}...) and a sentence for people. Features throw their own
 * subclasses; only the web layer knows which HTTP status each code travels with ({@code io.holdfast.web}).
 */
public abstract class Refusal extends RuntimeException {

    private final String code;
    private final Map<String, Object> details;
    private final Duration retryAfter;

    /** A refusal that carries nothing beyond its code and sentence. */
    protected Refusal(String code, String detail) {
        this(code, detail, Map.of(), null);
    }

    protected Refusal(String code, String detail, Map<String, Object> details, Duration retryAfter) {
        super(detail, null, false, false);
        this.code = code;
        this.details = Map.copyOf(details);
        this.retryAfter = retryAfter;
    }

    /** The sentence of every {@code not_found}: "Staff member 7 does not exist". */
    protected static String doesNotExist(String what, Object id) {
        return what + " " + id + " does not exist";
    }

    /** The machine code: {@code slot_held}. */
    public String code() {
        return code;
    }

    /** What the answer carries beyond the sentence, e.g. the bookings a change would strand. */
    public Map<String, Object> details() {
        return details;
    }

    /** For a refusal that passes: how long to wait before trying again. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
