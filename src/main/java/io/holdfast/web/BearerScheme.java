package io.holdfast.web;

import java.util.Locale;
import java.util.Optional;

/**
 * Tokens travel as {@code Authorization: Bearer <token>}. A header with the token but not the scheme is a
 * client's slip, not a wrong token: the refusal says so, so the client fixes the header instead of the token.
 */
public final class BearerScheme {

    private static final String PREFIX = "Bearer ";

    private BearerScheme() {
    }

    /**
     * The refusal for a non-blank header whose scheme is missing or is not Bearer, with the code the caller answers
     * bad credentials with; empty when the header is blank or says Bearer.
     */
    public static Optional<ApiProblem> refusal(String header, ProblemCode code, String token) {
        if (header == null || header.isBlank() || header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Optional.empty();
        }
        String trimmed = header.trim();
        int space = trimmed.indexOf(' ');
        String fix = ": send 'Authorization: Bearer <" + token + ">'";
        if (space < 0) {
            return Optional.of(new ApiProblem(code, "The Authorization header has no scheme" + fix));
        }
        String scheme = trimmed.substring(0, Math.min(space, 20));
        if (scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
            return Optional.empty();
        }
        return Optional.of(new ApiProblem(code, "The Authorization scheme must be Bearer, not '" + scheme + "'" + fix));
    }
}
