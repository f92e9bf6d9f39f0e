package io.holdfast.hold;

import java.time.Instant;

import io.holdfast.availability.Selection;

/** A live selection with the moment it lapses unless renewed. */
record TimedSelection(Selection selection, Instant expiresAt) {
}
