package io.holdfast.booking.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.holdfast.ServerSecrets;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the database keeps of an Idempotency-Key and its answer. A booking's answer carries its manage token, so it
 * is not stored in clear: the row is found by a keyed hash of the Idempotency-Key (the key itself is never stored)
 * and the answer is sealed with AES-256-GCM under a key derived from the server secret and the Idempotency-Key.
 * Only a request that brings the key again can open it; a copy of the database (secret included) cannot, because
 * it holds no Idempotency-Key to derive the answer's key from.
 */
@Component
class IdempotencySeal {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec secret;
    private final SecureRandom random = new SecureRandom();
    /** Keyed once; each use works on a clone (issue #13: no provider look-up and keying at every request). */
    private final Mac keyed;

    IdempotencySeal(JdbcClient jdbc) {
        this.secret = new SecretKeySpec(ServerSecrets.shared(jdbc, "idempotency"), "HmacSHA256");
        this.keyed = newMac();
    }

    /** The row's primary key for this Idempotency-Key (64 hex characters). */
    String rowKey(String idempotencyKey) {
        return HexFormat.of().formatHex(mac("row\u0000" + idempotencyKey));
    }

    /** The answer's body as stored: base64url(nonce | AES-GCM of the deflated body). */
    String seal(String idempotencyKey, String body) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, idempotencyKey, nonce).doFinal(deflate(body));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The body {@link #seal} was given; fails (tag mismatch) for any other Idempotency-Key. */
    String open(String idempotencyKey, String stored) {
        byte[] all = Base64.getUrlDecoder().decode(stored);
        try {
            byte[] nonce = java.util.Arrays.copyOf(all, NONCE_BYTES);
            return inflate(cipher(Cipher.DECRYPT_MODE, idempotencyKey, nonce)
                    .doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES));
        } catch (GeneralSecurityException wrongKey) {
            throw new IllegalStateException("A stored idempotent answer could not be opened", wrongKey);
        }
    }

    private Cipher cipher(int mode, String idempotencyKey, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(mac("answer\u0000" + idempotencyKey), "AES"),
                new GCMParameterSpec(TAG_BITS, nonce));
        return cipher;
    }

    private byte[] mac(String text) {
        Mac mac;
        try {
            mac = (Mac) keyed.clone();
        } catch (CloneNotSupportedException notByThisProvider) {
            mac = newMac();
        }
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** JSON shrinks well, and the sealed, base64-encoded form must still fit the column a clear body fitted. */
    private static byte[] deflate(String body) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(body.getBytes(StandardCharsets.UTF_8));
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static String inflate(byte[] deflated) {
        Inflater inflater = new Inflater();
        inflater.setInput(deflated);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalStateException("A stored idempotent answer is truncated");
                }
                out.write(buffer, 0, n);
            }
        } catch (DataFormatException corrupt) {
            throw new IllegalStateException("A stored idempotent answer is corrupt", corrupt);
        } finally {
            inflater.end();
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
