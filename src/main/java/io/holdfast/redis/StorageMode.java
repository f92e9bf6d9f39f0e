package io.holdfast.redis;

import java.util.Locale;

/** Where temporary state lives right now. */
public enum StorageMode {
    REDIS, SQL;

    /** The wire form used in API answers: {@code redis} or {@code sql}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The {@code redis} field of answers that also name this mode: {@code connected} while Redis serves,
     * {@code disconnected} while SQL does (also while a failback is still copying). Derived from the one mode read,
     * never from a separate probe result, so an answer can never say {@code connected} with {@code sql}.
     */
    public String redisStatus() {
        return this == REDIS ? "connected" : "disconnected";
    }
}
