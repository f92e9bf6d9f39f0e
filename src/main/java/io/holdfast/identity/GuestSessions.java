package io.holdfast.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.StorageMode;
import io.holdfast.redis.StorageModeChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Guest sessions: 256 random bits per token, stored only as the token's SHA-256. SQL holds the durable copy (a
 * Redis outage or restart logs nobody out); Redis caches it while it serves, so a booking's session check is one
 * Redis read. Sessions made or ended while Redis was away are found in SQL; those ended then are marked revoked in
 * Redis when it returns, before a stale cache entry could be believed.
 */
@Service
public class GuestSessions {

    private static final Logger log = LoggerFactory.getLogger(GuestSessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** 32 bytes in unpadded base64url: exactly 43 characters of its alphabet. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SessionTable table;
    private final RedisSessionCache cache;
    private final RedisFirst redisFirst;
    private final IdentitySettings settings;
    private final Clock clock;

    GuestSessions(SessionTable table, RedisSessionCache cache, RedisFirst redisFirst,
            IdentitySettings settings, Clock clock) {
        this.table = table;
        this.cache = cache;
        this.redisFirst = redisFirst;
        this.settings = settings;
        this.clock = clock;
    }

    /** A new session, with the one copy of its token that will ever exist in clear. */
    record Opened(String token, GuestSession session) {
    }

    Opened open(String email) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String hash = IdentityKeys.tokenHash(token);
        Instant now = clock.instant();
        GuestSession session = new GuestSession(email, now.plus(settings.sessionTtl()));
        table.insert(hash, session, now);
        if (redisFirst.configured()) {
            redisFirst.run(() -> cache.fill(hash, session, now), () -> {
            });
        }
        return new Opened(token, session);
    }

    /** The live session of an {@code Authorization: Bearer <token>} header, if it names one. */
    public Optional<GuestSession> fromAuthorization(String authorization) {
        return bearer(authorization).flatMap(this::find);
    }

    /** The token of an {@code Authorization: Bearer <token>} header that has a session token's shape. */
    static Optional<String> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).trim();
        return TOKEN.matcher(token).matches() ? Optional.of(token) : Optional.empty();
    }

    Optional<GuestSession> find(String token) {
        String hash = IdentityKeys.tokenHash(token);
        Instant now = clock.instant();
        if (redisFirst.configured()) {
            Optional<RedisSessionCache.Entry> cached = redisFirst.call(() -> Optional.of(cache.get(hash)), Optional::empty);
            if (cached.isPresent()) {
                if (cached.get() instanceof RedisSessionCache.Hit hit) {
                    return hit.session().expiresAt().isAfter(now) ? Optional.of(hit.session()) : Optional.empty();
                }
                if (cached.get() instanceof RedisSessionCache.Revoked) {
                    return Optional.empty();
                }
                // A miss: made while Redis was away, or Redis lost its data. SQL knows; refill the cache.
                Optional<GuestSession> stored = table.find(hash, now);
                stored.ifPresent(session -> redisFirst.run(() -> cache.fill(hash, session, now), () -> {
                }));
                return stored;
            }
        }
        return table.find(hash, now);
    }

    /** Ends the session of an {@code Authorization: Bearer <token>} header; false when it names no live session. */
    public boolean close(String authorization) {
        Optional<String> token = bearer(authorization);
        if (token.isEmpty()) {
            return false;
        }
        String hash = IdentityKeys.tokenHash(token.get());
        if (!table.revoke(hash, clock.instant())) {
            return false;
        }
        if (redisFirst.configured()) {
            redisFirst.run(() -> cache.revoke(hash, settings.sessionTtl()), () -> {
            });
        }
        return true;
    }

    /**
     * Back on Redis: sessions ended while it was away may still sit in its cache (it kept its data, or the logout's
     * Redis write failed); mark them revoked there. Idempotent, so every instance may do it.
     */
    @EventListener
    void storageModeChanged(StorageModeChanged change) {
        if (change.mode() != StorageMode.REDIS || !redisFirst.configured()) {
            return;
        }
        try {
            Instant now = clock.instant();
            var revoked = table.revokedButUnexpired(now);
            for (SessionTable.Revoked session : revoked) {
                cache.revoke(session.tokenHash(), Duration.between(now, session.expiresAt()));
            }
            if (!revoked.isEmpty()) {
                log.info("Marked {} sessions revoked in Redis after the failback", revoked.size());
            }
        } catch (RuntimeException failure) {
            log.warn("Could not mark revoked sessions in Redis after the failback", failure);
        }
    }
}
