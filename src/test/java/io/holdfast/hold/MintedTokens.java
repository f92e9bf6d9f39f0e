package io.holdfast.hold;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Tokens of the shape {@link HoldTokens} mints, {@code base64url(payload).base64url(hmac)}, with 32 random bytes in
 * place of the HMAC: a store never checks the HMAC (the hold workflow does), it only keeps the token, and keeps one of
 * this shape as its HMAC ({@link RecordTokens}).
 */
final class MintedTokens {

    private MintedTokens() {
    }

    static String of(UUID holdId, String clientId, Instant createdAt, List<HoldItem> items) {
        byte[] mac = new byte[32];
        ThreadLocalRandom.current().nextBytes(mac);
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString(HoldTokens.payload(holdId, clientId, createdAt.toEpochMilli(),
                HoldItems.encode(items)).getBytes(StandardCharsets.UTF_8)) + "." + base64.encodeToString(mac);
    }
}
