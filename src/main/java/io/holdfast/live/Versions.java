package io.holdfast.live;

/** A version before and after a bump. */
record Versions(long previous, long current) {
}
