package io.holdfast.hold;

import io.holdfast.availability.Selection;

/** Published, synchronously, when someone starts or stops looking at a time (not for a lapse: {@link SelectionLapsed}). */
public record SelectionChanged(boolean selected, Selection selection) {
}
