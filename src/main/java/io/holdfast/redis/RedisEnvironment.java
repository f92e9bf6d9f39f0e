package io.holdfast.redis;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/** Accepts the seeds' {@code REDIS_URL} as well as Spring's {@code SPRING_DATA_REDIS_URL}. */
class RedisEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("spring.data.redis.url");
        String legacyUrl = environment.getProperty("REDIS_URL");
        if ((url == null || url.isBlank()) && legacyUrl != null && !legacyUrl.isBlank()) {
            environment.getPropertySources().addLast(
                    new MapPropertySource("holdfastRedisUrl", Map.of("spring.data.redis.url", legacyUrl)));
        }
    }
}
