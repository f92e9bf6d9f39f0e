package io.holdfast.availability;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;

/** A start time that the schedule allows, before live state (bookings, holds, selections) is laid over it. */
public record Candidate(LocalTime time, ZonedDateTime start) {

    public Instant instant() {
        return start.toInstant();
    }
}
