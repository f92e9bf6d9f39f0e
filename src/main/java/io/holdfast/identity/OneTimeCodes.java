package io.holdfast.identity;

import java.security.SecureRandom;
import java.util.Optional;

import io.holdfast.redis.RedisFirst;
import io.holdfast.web.ClientNetwork;
import io.holdfast.web.EmailAddresses;
import org.springframework.stereotype.Service;

/**
 * Email one-time codes: six digits from {@link SecureRandom}, kept only as a keyed hash bound to the address, alive
 * for {@code holdfast.identity.code-ttl}, used once. Every request gets the same answer whether or not the address
 * has booked before: a code is simply sent to it.
 *
 * <p>Tries are counted per client network ({@link ClientNetwork}: an IPv4 address, an IPv6 /64), {@code
 * max-code-attempts} (5) each, so a stranger guessing elsewhere cannot use up the tries of the guest typing the code;
 * and per code, {@code max-code-attempts-total} (10) from all networks together, after which the code is dead. So at
 * most 10 of the 1,000,000 codes are tried per code sent: 1 in 100,000. An address gets at most 3 codes per 10
 * minutes ({@code sends-per-email}), so a brute force gets at most 30 tries per 10 minutes, 4,320 a day: a chance of
 * about 0.43 % a day for one address, and it needs two networks per code to get there.
 *
 * <p>A code lives in the store that served its request: Redis while it serves, SQL otherwise. A code sent during
 * an outage stays in SQL and is still found after the failback (a check that finds nothing in Redis looks in SQL);
 * a code sent from Redis deletes any older SQL one, so only the newest code of an address ever counts.
 */
@Service
public class OneTimeCodes {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SqlCodes sql;
    private final RedisCodes redis;
    private final RedisFirst redisFirst;
    private final IdentityKeys keys;
    private final RateLimits limits;
    private final GuestSessions sessions;
    private final GuestMail mail;
    private final IdentitySettings settings;

    OneTimeCodes(SqlCodes sql, RedisCodes redis, RedisFirst redisFirst, IdentityKeys keys,
            RateLimits limits, GuestSessions sessions, GuestMail mail, IdentitySettings settings) {
        this.sql = sql;
        this.redis = redis;
        this.redisFirst = redisFirst;
        this.keys = keys;
        this.limits = limits;
        this.sessions = sessions;
        this.mail = mail;
        this.settings = settings;
    }

    /** A verified address: its new session and the one copy of the session's token in clear. */
    public record Verified(String sessionToken, GuestSession session) {
    }

    /**
     * Sends a new code to {@code email} (replacing any earlier one), unless this client or this address has had
     * its share of codes for now (429 with Retry-After).
     */
    public void request(String email, String clientAddress) {
        String address = EmailAddresses.normalize(email);
        String emailKey = keys.emailKey(address);
        String network = ClientNetwork.of(clientAddress);
        limits.take(RateLimits.Limit.SEND_PER_CLIENT, network);
        // Per address and network first: a stranger sending codes to the guest's address spends their own share,
        // not the guest's; the total per address still keeps many networks from flooding one inbox.
        limits.take(RateLimits.Limit.SEND_PER_EMAIL, emailKey + "|" + network);
        limits.take(RateLimits.Limit.SEND_PER_EMAIL_TOTAL, emailKey);
        String code = String.format("%06d", RANDOM.nextInt(1_000_000));
        String codeHash = keys.codeHash(address, code);
        boolean inRedis = redisFirst.configured() && redisFirst.call(() -> {
            redis.issue(emailKey, codeHash, settings.codeTtl());
            return true;
        }, () -> false);
        if (inRedis) {
            sql.delete(emailKey);
        } else {
            sql.issue(emailKey, codeHash, settings.codeTtl());
        }
        mail.send(new MailMessage(address, "Your Holdfast code", """
                Your code is %s

                Enter it where you asked for it to confirm this email address. It works once, for %d minutes.

                If you did not ask for a code, ignore this mail: nothing happens without it.
                """.formatted(code, settings.codeTtl().toMinutes())));
    }

    /**
     * Checks a code and opens a session for its address. 401 {@code otp_invalid} for a wrong, used, expired, replaced
     * or dead code, with the same words for each; 429 when this client has tried too many codes.
     */
    public Verified verify(String email, String code, String clientAddress) {
        String address = EmailAddresses.normalize(email);
        String network = ClientNetwork.of(clientAddress);
        limits.take(RateLimits.Limit.VERIFY_PER_CLIENT, network);
        String emailKey = keys.emailKey(address);
        CodeTry attempt = tryCode(emailKey, keys.networkKey(network));
        if (!(attempt instanceof CodeTry.Counted counted)) {
            throw invalid();
        }
        if (!IdentityKeys.sameHash(counted.codeHash(), keys.codeHash(address, code))) {
            if (counted.tries() >= settings.maxCodeAttemptsTotal()) {
                take(emailKey, counted); // that was the last try: the code is dead now, not at the next one
            }
            throw invalid();
        }
        if (!take(emailKey, counted)) {
            throw invalid(); // a parallel check used it first, or a new code replaced it meanwhile
        }
        GuestSessions.Opened opened = sessions.open(address);
        return new Verified(opened.token(), opened.session());
    }

    private CodeTry tryCode(String emailKey, String networkKey) {
        int perNetwork = settings.maxCodeAttempts();
        int max = settings.maxCodeAttemptsTotal();
        if (redisFirst.configured()) {
            Optional<CodeTry> fromRedis = redisFirst.call(
                    () -> Optional.of(redis.tryCode(emailKey, networkKey, perNetwork, max)), Optional::empty);
            if (fromRedis.isPresent() && !(fromRedis.get() instanceof CodeTry.Missing)) {
                return fromRedis.get();
            }
        }
        return sql.tryCode(emailKey, networkKey, perNetwork, max);
    }

    private boolean take(String emailKey, CodeTry.Counted counted) {
        if (counted.inRedis()) {
            return redisFirst.call(() -> redis.take(emailKey, counted.codeHash()), () -> false);
        }
        return sql.take(emailKey, counted.codeHash());
    }

    private static IdentityRefused invalid() {
        return IdentityRefused.codeInvalid();
    }
}
