package io.holdfast.hold;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.holdfast.ServerSecrets;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Hold tokens that describe their hold: {@code base64url(v1|holdId|clientId|createdAt|items).base64url(hmac)}.
 * A store that cannot see a hold (Redis went away and took it along, or the hold lives in the other store) can
 * still verify the token and adopt the hold if its time is free, so a failover never fails a customer's extend,
 * release or booking. The HMAC key is created once and shared by all instances through the database.
 */
@Component
class HoldTokens {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    /** Keyed once; every token is signed or checked on a clone of it (issue #13: no provider look-up each time). */
    private final Mac keyed;

    HoldTokens(JdbcClient jdbc) {
        this.key = new SecretKeySpec(ServerSecrets.shared(jdbc, "hold-token"), "HmacSHA256");
        this.keyed = newMac();
    }

    String mint(UUID holdId, String clientId, Instant createdAt, List<HoldItem> items) {
        byte[] bytes = payload(holdId, clientId, createdAt.toEpochMilli(), HoldItems.encode(items))
                .getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(bytes));
    }

    /**
     * What a token says, before its encoding: {@code v1|holdId|clientId|createdAt (ms)|items (HoldItems)}. Besides
     * the HMAC it is all fields a Redis record keeps, so the record keeps only the HMAC ({@link RecordTokens}).
     */
    static String payload(UUID holdId, String clientId, long createdAtMillis, String encodedItems) {
        return "v1|" + holdId + "|" + clientId + "|" + createdAtMillis + "|" + encodedItems;
    }

    /** The hold a genuine token describes, if the token is ours and names this hold. */
    Optional<LeaseRequest> verify(UUID holdId, String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            return Optional.empty();
        }
        try {
            byte[] payload = DECODER.decode(token.substring(0, dot));
            byte[] signature = DECODER.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(mac(payload), signature)) {
                return Optional.empty();
            }
            String[] parts = new String(payload, StandardCharsets.UTF_8).split("\\|", 5);
            if (parts.length != 5 || !parts[0].equals("v1") || !parts[1].equals(holdId.toString())) {
                return Optional.empty();
            }
            return Optional.of(new LeaseRequest(holdId, parts[2], token, Instant.ofEpochMilli(Long.parseLong(parts[3])),
                    HoldItems.decode(parts[4])));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty(); // not base64, not a number, not our item format: simply not a token of ours
        }
    }

    private byte[] mac(byte[] payload) {
        Mac mac;
        try {
            mac = (Mac) keyed.clone();
        } catch (CloneNotSupportedException notByThisProvider) {
            mac = newMac();
        }
        return mac.doFinal(payload);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
