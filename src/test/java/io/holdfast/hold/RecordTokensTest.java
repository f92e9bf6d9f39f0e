package io.holdfast.hold;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.holdfast.availability.Occupancy;
import org.junit.jupiter.api.Test;

/** How a Redis record keeps a hold's token (issue #13): its HMAC where the rest is the record's, else whole. */
class RecordTokensTest {

    private static final UUID HOLD = UUID.randomUUID();
    private static final String CLIENT = UUID.randomUUID().toString();
    private static final Instant CREATED = Instant.ofEpochMilli(1_764_662_400_123L);
    private static final Instant START = Instant.ofEpochSecond(1_764_662_400L);
    private static final List<HoldItem> ITEMS = List.of(new HoldItem(42, 7, START, START.plusSeconds(1800),
            new Occupancy(START, START.plusSeconds(2100))));
    private static final String ENCODED = HoldItems.encode(ITEMS);

    @Test
    void aMintedTokenIsKeptAsItsHmacAndRebuiltWholeFromTheRecord() {
        String token = MintedTokens.of(HOLD, CLIENT, CREATED, ITEMS);
        Map.Entry<String, String> field = RecordTokens.field(HOLD, CLIENT, CREATED, ENCODED, token);

        assertThat(field.getKey()).isEqualTo("mac");
        assertThat(field.getValue()).isEqualTo(token.substring(token.indexOf('.') + 1)).hasSize(43);
        assertThat(RecordTokens.token(HOLD, record(field))).isEqualTo(token);
        assertThat(RecordTokens.presented(HOLD, token))
                .isEqualTo(new RecordTokens.Presented(CLIENT + "|" + CREATED.toEpochMilli() + "|" + ENCODED,
                        field.getValue()));
    }

    /** A token whose payload is not this record's (another hold, client, creation or items) is kept whole. */
    @Test
    void aTokenThatDoesNotDescribeTheRecordIsKeptWhole() {
        List<String> tokens = List.of("token-" + UUID.randomUUID(), "a.b", ".x", "x.",
                MintedTokens.of(UUID.randomUUID(), CLIENT, CREATED, ITEMS),
                MintedTokens.of(HOLD, "someone else", CREATED, ITEMS),
                MintedTokens.of(HOLD, CLIENT, CREATED.plusMillis(1), ITEMS),
                MintedTokens.of(HOLD, CLIENT, CREATED, List.of(new HoldItem(43, 7, START, START.plusSeconds(1800),
                        new Occupancy(START, START.plusSeconds(1800))))));
        for (String token : tokens) {
            Map.Entry<String, String> field = RecordTokens.field(HOLD, CLIENT, CREATED, ENCODED, token);
            assertThat(field).as(token).isEqualTo(Map.entry("token", token));
            assertThat(RecordTokens.token(HOLD, record(field))).isEqualTo(token);
        }
    }

    /**
     * A presented token is compared by its decoded payload only when decoding is the inverse of encoding: a payload
     * spelled another way (base64 whose unused last bits are set, which decodes to the same bytes) or not of the
     * shape has no claim, so it can only match a token kept whole, byte for byte.
     */
    @Test
    void onlyATokenInTheEncodingTheRecordRebuildsHasAClaim() {
        // A payload of 3n + 1 bytes ends in a base64 character of which only the top 2 bits are the payload's.
        String client = "c";
        String payload = HoldTokens.payload(HOLD, client, CREATED.toEpochMilli(), ENCODED);
        while (payload.getBytes(StandardCharsets.UTF_8).length % 3 != 1) {
            client += "c";
            payload = HoldTokens.payload(HOLD, client, CREATED.toEpochMilli(), ENCODED);
        }
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = encoded.charAt(encoded.length() - 1);
        String respelled = encoded.substring(0, encoded.length() - 1) + alphabet.charAt(alphabet.indexOf(last) | 1);
        assertThat(new String(Base64.getUrlDecoder().decode(respelled), StandardCharsets.UTF_8)).isEqualTo(payload);

        assertThat(RecordTokens.presented(HOLD, encoded + ".mac").mac()).isEqualTo("mac");
        assertThat(RecordTokens.presented(HOLD, respelled + ".mac")).isEqualTo(RecordTokens.Presented.NONE);
        assertThat(RecordTokens.presented(UUID.randomUUID(), encoded + ".mac")).isEqualTo(RecordTokens.Presented.NONE);
        for (String token : List.of("token-1", "", ".", "a.", ".b", "!!.mac", encoded + ".mac.more", encoded + ".")) {
            assertThat(RecordTokens.presented(HOLD, token)).as(token).isEqualTo(RecordTokens.Presented.NONE);
        }
    }

    private static Map<String, String> record(Map.Entry<String, String> token) {
        Map<String, String> fields = new HashMap<>();
        fields.put("clientId", CLIENT);
        fields.put("createdAt", String.valueOf(CREATED.toEpochMilli()));
        fields.put("items", ENCODED);
        fields.put(token.getKey(), token.getValue());
        return fields;
    }
}
