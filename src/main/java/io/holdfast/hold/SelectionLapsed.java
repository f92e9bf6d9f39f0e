package io.holdfast.hold;

import io.holdfast.availability.Selection;

/** Published when an active selection ran out without being renewed (its viewer went away). */
public record SelectionLapsed(Selection selection) {
}
