package io.holdfast.redis;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Redis is used when a server is configured (URL, host, Sentinel or Cluster settings) unless
 * {@code REDIS_ENABLED=false} / {@code holdfast.redis.enabled=false} (the seeds' rollback plan). Without any Redis
 * setting the server stays on the embedded default and never tries to reach a Redis. Public so that other modules'
 * Redis parts switch on and off with this module's.
 */
public class RedisConfigured extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return outcome(context.getEnvironment());
    }

    static boolean in(Environment environment) {
        return outcome(environment).isMatch();
    }

    private static ConditionOutcome outcome(Environment environment) {
        String enabled = environment.getProperty("holdfast.redis.enabled", "");
        if (enabled.isBlank()) {
            enabled = environment.getProperty("REDIS_ENABLED", "");
        }
        if (enabled.trim().equalsIgnoreCase("false")) {
            return ConditionOutcome.noMatch("Redis disabled by REDIS_ENABLED=false");
        }
        for (String property : new String[] {"spring.data.redis.url", "spring.data.redis.host",
                "spring.data.redis.sentinel.master", "spring.data.redis.cluster.nodes",
                "spring.data.redis.cluster.nodes[0]"}) {
            String value = environment.getProperty(property);
            if (value != null && !value.isBlank()) {
                return ConditionOutcome.match("Redis configured by " + property);
            }
        }
        return ConditionOutcome.noMatch("No Redis server configured");
    }
}
