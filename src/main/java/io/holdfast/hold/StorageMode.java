package io.holdfast.hold;

import java.util.Locale;

/** Where temporary state lives right now. */
public enum StorageMode {
    REDIS, SQL;

    /** The wire form used in API answers: {@code redis} or {@code sql}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
