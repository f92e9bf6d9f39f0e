package io.holdfast.identity;

import io.holdfast.redis.RedisScripts;
import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * One-time codes in Redis: {@code hf:otp:<email key>}, a hash of the code's keyed hash, its tries from all client
 * networks and its tries from each ({@code n:<network key>}), with a TTL.
 */
/* Exists on every server (connecting on first use); RedisFirst calls it only while a configured Redis serves. */
@org.springframework.stereotype.Component
class RedisCodes {

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> TRY = RedisScripts.load("otp-try", List.class);
    private static final RedisScript<Long> ISSUE = RedisScripts.load("otp-issue", Long.class);
    private static final RedisScript<Long> TAKE = RedisScripts.load("otp-take", Long.class);

    private final StringRedisTemplate redis;

    RedisCodes(StringRedisTemplate redis) {
        this.redis = redis;
    }

    static String key(String emailKey) {
        return "hf:otp:" + emailKey;
    }

    void issue(String emailKey, String codeHash, Duration ttl) {
        redis.execute(ISSUE, List.of(key(emailKey)), codeHash, String.valueOf(ttl.toMillis()));
    }

    CodeTry tryCode(String emailKey, String networkKey, int maxTriesPerNetwork, int maxTries) {
        List<?> answer = redis.execute(TRY, List.of(key(emailKey)), String.valueOf(maxTriesPerNetwork),
                String.valueOf(maxTries), "n:" + networkKey);
        return switch (String.valueOf(answer.get(0))) {
            case "TRY" -> new CodeTry.Counted(String.valueOf(answer.get(1)), Integer.parseInt(String.valueOf(answer.get(2))),
                    true);
            case "DEAD" -> new CodeTry.Dead();
            default -> new CodeTry.Missing();
        };
    }

    boolean take(String emailKey, String codeHash) {
        Long deleted = redis.execute(TAKE, List.of(key(emailKey)), codeHash);
        return deleted != null && deleted == 1L;
    }
}
