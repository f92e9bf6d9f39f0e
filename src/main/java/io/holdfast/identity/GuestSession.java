package io.holdfast.identity;

import java.time.Instant;

/** A verified guest: whoever presents the session's token has shown they can read mail sent to {@code email}. */
public record GuestSession(String email, Instant expiresAt) {
}
