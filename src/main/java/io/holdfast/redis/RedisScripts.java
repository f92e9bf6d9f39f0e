package io.holdfast.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Lua scripts for {@code RedisTemplate.execute}, read and hashed once. Spring's {@code DefaultRedisScript} computes
 * its SHA-1 lazily and takes a lock on every {@code getSha1()}, that is on every execution: under load the
 * availability and poll requests queued on it (a JFR profile of issue #13 showed hundreds of parks of seconds in
 * total). A script whose text and hash never change needs no lock.
 */
public final class RedisScripts {

    private RedisScripts() {
    }

    /** The script at {@code scripts/<name>.lua} on the class path. */
    public static <T> RedisScript<T> load(String name, Class<T> resultType) {
        return of(text(name), resultType);
    }

    /**
     * The script at {@code scripts/<last name>.lua} behind the functions of the libraries named before it, in that
     * order: Redis runs every script on its own, so scripts share code only by being sent with it.
     */
    public static <T> RedisScript<T> load(Class<T> resultType, String... names) {
        StringBuilder script = new StringBuilder();
        for (String name : names) {
            script.append(text(name));
        }
        return of(script.toString(), resultType);
    }

    private static String text(String name) {
        try {
            return new ClassPathResource("scripts/" + name + ".lua").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("Lua script " + name + " cannot be read", unreadable);
        }
    }

    public static <T> RedisScript<T> of(String script, Class<T> resultType) {
        return new Fixed<>(script, sha1(script), resultType);
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("Every JDK has SHA-1", missing);
        }
    }

    private record Fixed<T>(String script, String sha1, Class<T> resultType) implements RedisScript<T> {

        @Override
        public String getSha1() {
            return sha1;
        }

        @Override
        public Class<T> getResultType() {
            return resultType;
        }

        @Override
        public String getScriptAsString() {
            return script;
        }
    }
}
