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

    protected Refusal(String code, String detail, Map<String, Object> details, Duration retryAfter) {
        super(detail, null, false, false);
        this.code = code;
        this.details = Map.copyOf(details);
        this.retryAfter = retryAfter;
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
