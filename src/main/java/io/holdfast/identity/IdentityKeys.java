package io.holdfast.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.holdfast.ServerSecrets;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keyed hashes (HMAC-SHA256 with a secret every instance shares through the database). A one-time code is kept only
 * as such a hash, bound to its address: six digits have too few values for a plain hash, which anyone holding a
 * copy of Redis or the database could reverse by trying all million. Addresses are stored under a keyed hash too,
 * so neither Redis key names nor the code table name anyone.
 */
@Component
class IdentityKeys {

    private final SecretKeySpec key;

    IdentityKeys(JdbcClient jdbc) {
        this.key = new SecretKeySpec(ServerSecrets.shared(jdbc, "identity"), "HmacSHA256");
    }

    /** Where the code of this (normalised) address is kept. */
    String emailKey(String email) {
        return mac("email\u0000" + email);
    }

    /** The stored form of a code sent to this (normalised) address. */
    String codeHash(String email, String code) {
        return mac("code\u0000" + email + "\u0000" + code);
    }

    /** Where a code's tries from one client network ({@link io.holdfast.web.ClientNetwork}) are counted. */
    String networkKey(String network) {
        return mac("network\u0000" + network).substring(0, 32);
    }

    /** Constant-time, so the answer's timing tells nothing about how much of a guess matched. */
    static boolean sameHash(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** Session tokens carry 256 random bits: a plain SHA-256 cannot be reversed, so they need no key. */
    static String tokenHash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private String mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
