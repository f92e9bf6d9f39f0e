package io.holdfast.availability;

/** A version before and after a bump. */
public record Versions(long previous, long current) {
}
