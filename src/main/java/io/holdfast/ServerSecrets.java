package io.holdfast;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Secrets shared by every instance through the database ({@code server_secret}): each is made once, by whichever
 * instance needs it first, so that a token or hash made by one instance is recognised by all of them.
 */
public final class ServerSecrets {

    private ServerSecrets() {
    }

    /** The 256-bit secret of this name, created on first use. */
    public static byte[] shared(JdbcClient jdbc, String name) {
        Optional<String> existing = read(jdbc, name);
        if (existing.isPresent()) {
            return Base64.getUrlDecoder().decode(existing.get());
        }
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try {
            jdbc.sql("INSERT INTO server_secret (name, secret) VALUES (?, ?)")
                    .params(name, Base64.getUrlEncoder().withoutPadding().encodeToString(fresh)).update();
        } catch (DuplicateKeyException raced) {
            // Another instance created it at the same moment; everyone uses the stored one below.
        }
        return Base64.getUrlDecoder().decode(read(jdbc, name).orElseThrow());
    }

    private static Optional<String> read(JdbcClient jdbc, String name) {
        return jdbc.sql("SELECT secret FROM server_secret WHERE name = ?").param(name).query(String.class).optional();
    }
}
