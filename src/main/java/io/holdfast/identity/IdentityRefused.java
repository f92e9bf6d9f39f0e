package io.holdfast.identity;

import java.time.Duration;
import java.util.Map;

import io.holdfast.Refusal;

/** Proving an email address failed: the code is not right, or too many tries or sends came too fast. */
final class IdentityRefused extends Refusal {

    private IdentityRefused(String code, String detail) {
        super(code, detail);
    }

    private IdentityRefused(String code, String detail, Duration retryAfter) {
        super(code, detail, Map.of(), retryAfter);
    }

    static IdentityRefused codeInvalid() {
        return new IdentityRefused("otp_invalid", "The code is wrong, used or expired; ask for a new one");
    }

    /** A rate limit: try again after {@code retryAfter}. */
    static IdentityRefused rateLimited(String detail, Duration retryAfter) {
        return new IdentityRefused("rate_limited", detail, retryAfter);
    }
}
