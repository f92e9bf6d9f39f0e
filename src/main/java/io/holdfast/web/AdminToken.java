package io.holdfast.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.stereotype.Component;

/**
 * The admin bearer token: HOLDFAST_ADMIN_TOKEN, or a random one made at start (printed once by the start-up
 * banner) so that a fresh demo is never open to the world.
 */
@Component
public class AdminToken {

    private final byte[] token;
    private final boolean generated;

    AdminToken(AdminSettings settings) {
        String configured = settings.token();
        this.generated = configured == null || configured.isBlank();
        String value = generated ? random() : configured.trim();
        this.token = value.getBytes(StandardCharsets.UTF_8);
    }

    /** Constant-time comparison, so response timing tells nothing about how much of a guess was right. */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** True when the header is {@code Authorization: Bearer <admin token>}. */
    public boolean authorizes(String authorizationHeader) {
        return authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)
                && matches(authorizationHeader.substring(7).trim());
    }

    public boolean generated() {
        return generated;
    }

    /** For the start-up banner only: the one place the token is shown. */
    public String value() {
        return new String(token, StandardCharsets.UTF_8);
    }

    private static String random() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
