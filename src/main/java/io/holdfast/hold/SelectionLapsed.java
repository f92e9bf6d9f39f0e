package io.holdfast.hold;

/** Published when an active selection ran out without being renewed (its viewer went away). */
public record SelectionLapsed(Selection selection) {
}
