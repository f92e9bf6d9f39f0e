package io.holdfast.redis;

import java.time.Instant;

/** Published on every switch between Redis and the SQL fallback. */
public record StorageModeChanged(StorageMode mode, Instant at, String reason) {
}
