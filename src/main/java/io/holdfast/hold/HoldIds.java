package io.holdfast.hold;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * New hold ids: random (version 4) UUIDs from a cryptographically strong generator, without the one global lock of
 * {@link UUID#randomUUID()}. A hold id is no secret (the token is), but it is shown in listings and URLs, so it must
 * not be predictable from other ids: a known id must not lead to the next one (holds would be enumerable), which
 * rules out {@link ThreadLocalRandom} and its kin, whose state a few outputs give away. {@code UUID.randomUUID()}
 * draws from one shared {@link SecureRandom} whose every call is {@code synchronized}; under load every hold
 * request queued on it (issue #13). Here the draws are spread over a few independent DRBG instances (NIST SP 800-90A,
 * each seeded from the system's entropy), picked at random per call: a lock is held only by the rare two threads that
 * pick the same one at once. A pool rather than one generator per thread, because with virtual threads every request
 * is a new thread, and seeding a generator per request would cost more than the lock.
 */
final class HoldIds {

    private static final SecureRandom[] POOL = pool(Math.max(4, Integer.highestOneBit(
            Runtime.getRuntime().availableProcessors() * 4 - 1) * 2));

    private HoldIds() {
    }

    static UUID next() {
        byte[] bytes = new byte[16];
        POOL[ThreadLocalRandom.current().nextInt(POOL.length)].nextBytes(bytes);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (bytes[i] & 0xff);
            low = low << 8 | (bytes[8 + i] & 0xff);
        }
        // Version 4, IETF variant, as UUID.randomUUID(): 122 random bits.
        high = high & ~0xf000L | 0x4000L;
        low = low & 0x3fffffffffffffffL | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static SecureRandom[] pool(int size) {
        SecureRandom[] pool = new SecureRandom[size];
        for (int i = 0; i < size; i++) {
            try {
                pool[i] = SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException missing) {
                pool[i] = new SecureRandom(); // every JDK since 9 has DRBG; this keeps a strong generator regardless
            }
        }
        return pool;
    }
}
