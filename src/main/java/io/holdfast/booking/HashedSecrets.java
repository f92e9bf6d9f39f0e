package io.holdfast.booking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The secrets this feature hands out and keeps only as hashes: a booking's manage token and a calendar feed's
 * secret. Each is 256 random bits; a plain SHA-256 of that cannot be reversed, so it needs no key.
 */
final class HashedSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private HashedSecrets() {
    }

    /** A new secret: 256 random bits, URL-safe Base64 without padding. */
    static String create() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What is stored of a secret: its SHA-256, hex. */
    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Whether the secret is the one stored as {@code storedHash} (false when none is stored, or no secret is given).
     * Hashes of equal length compared in constant time, and the secret hashed either way: the answer time says
     * nothing about the secret.
     */
    static boolean matches(String storedHash, String secret) {
        byte[] given = hash(secret == null ? "" : secret).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = (storedHash == null ? "" : storedHash).getBytes(StandardCharsets.US_ASCII);
        return storedHash != null & MessageDigest.isEqual(given, expected);
    }
}
