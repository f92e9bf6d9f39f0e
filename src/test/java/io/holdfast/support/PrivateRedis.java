package io.holdfast.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * Gives a server test class a redis-server of its own, for tests that kill, pause, restart or reconfigure Redis, or
 * that read what is in it. Put it next to {@code @ActiveProfiles("h2")} on a {@link ServerTest} (or a class with
 * {@link ServerTestContext}), and take the server with {@code @Autowired RedisServer redis} to call
 * {@link RedisServer#kill() kill}, {@link RedisServer#restart() restart}, {@link RedisServer#cli cli} and so on.
 * Further settings go in {@code @TestPropertySource}, for example {@code holdfast.redis.probe-interval=200ms} for a
 * quick failback.
 *
 * <p>How: {@link PrivateRedisCustomizer} starts the server while the class's Spring context is being prepared, so
 * it answers before any bean connects; points {@code spring.data.redis.url} at it and {@code spring.datasource.url}
 * at an H2 database of its own (see {@link RedisServer#testProperties}); and registers it as a bean that the context
 * closes last. The test class is part of the context's cache key, so two classes never share a server, and a class
 * that kills or restarts its Redis cannot affect another. Because no other class can reuse that context, it is
 * {@link DirtiesContext dirtied}: closed, and its Redis with it, when the class is done.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ContextCustomizerFactories(PrivateRedisCustomizer.Factory.class)
@DirtiesContext
public @interface PrivateRedis {

    /** Extra redis-server arguments, for example {@code {"--maxmemory-policy", "allkeys-lru"}}. */
    String[] args() default {};
}
