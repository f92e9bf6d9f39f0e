package io.holdfast.hold;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * How a hold's record in Redis keeps the hold's token. A token of {@link HoldTokens}' shape is
 * {@code base64url(payload).base64url(hmac)}, and its payload is made of fields the record keeps anyway (id,
 * client, creation, items): the record keeps only the HMAC, in the field {@value #MAC} (43 bytes), and the token is
 * rebuilt from the record when the store hands one back. A whole token of about 250 bytes is longer than Redis's
 * {@code hash-max-listpack-value} (64), which turned the record from a listpack (about 400 bytes) into a hashtable
 * (about 1,000; issue #13, docs/benchmarks.md). A token of any other shape, or one whose payload is not the record's
 * fields, is kept whole in the field {@value #TOKEN}, as every record was before: the scripts read both forms, so
 * records written by an earlier version stay usable.
 *
 * <p>The scripts that check a presented token (hold-token.lua) compare bytes only: the store sends the token whole
 * and, when it has that shape, as {@link Presented} (its payload past {@code v1|<holdId>|}, and its HMAC).
 */
final class RecordTokens {

    static final String TOKEN = "token";
    static final String MAC = "mac";

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private RecordTokens() {
    }

    /** The field a record keeps the token in and its value: the HMAC when the rest can be rebuilt, else the token. */
    static Map.Entry<String, String> field(UUID holdId, String clientId, Instant createdAt, String encodedItems,
            String token) {
        int dot = token.lastIndexOf('.');
        if (dot > 0) {
            String mac = token.substring(dot + 1);
            if (!mac.isEmpty() && token.equals(rebuild(holdId, clientId, createdAt.toEpochMilli(), encodedItems, mac))) {
                return Map.entry(MAC, mac);
            }
        }
        return Map.entry(TOKEN, token);
    }

    /** The token of a record (its fields by name): kept whole, or rebuilt from its HMAC; null when it has neither. */
    static String token(UUID holdId, Map<?, ?> fields) {
        Object whole = fields.get(TOKEN);
        if (whole != null) {
            return (String) whole;
        }
        Object mac = fields.get(MAC);
        if (mac == null) {
            return null;
        }
        return rebuild(holdId, (String) fields.get("clientId"), Long.parseLong((String) fields.get("createdAt")),
                (String) fields.get("items"), (String) mac);
    }

    private static String rebuild(UUID holdId, String clientId, long createdAtMillis, String encodedItems, String mac) {
        return ENCODER.encodeToString(HoldTokens.payload(holdId, clientId, createdAtMillis, encodedItems)
                .getBytes(StandardCharsets.UTF_8)) + "." + mac;
    }

    /**
     * A presented token as a script compares it with a record that keeps only the HMAC: {@code claim} is the token's
     * payload past {@code v1|<holdId>|} ("clientId|createdAt|items"), {@code mac} its HMAC. Matching a record's
     * {@code clientId|createdAt|items} and {@code mac} byte for byte is matching the token it was written from, as
     * the payload is compared decoded only when its encoding is the one {@link #field} rebuilds (canonical base64url,
     * UTF-8). Both empty when the token has not that shape (then it can only match a token kept whole).
     */
    record Presented(String claim, String mac) {

        static final Presented NONE = new Presented("", "");
    }

    static Presented presented(UUID holdId, String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.') || dot == token.length() - 1) {
            return Presented.NONE;
        }
        String encoded = token.substring(0, dot);
        String payload;
        try {
            payload = new String(DECODER.decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Presented.NONE;
        }
        String prefix = "v1|" + holdId + "|";
        if (!payload.startsWith(prefix)
                || !ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8)).equals(encoded)) {
            return Presented.NONE;
        }
        return new Presented(payload.substring(prefix.length()), token.substring(dot + 1));
    }
}
