package io.holdfast.live;

import io.holdfast.availability.Versions;
import java.time.LocalDate;
import java.util.List;

/**
 * One change of a staff member's day as viewers receive it. {@code times} and {@code starts} name the same slots in
 * the same order: local "HH:mm", and the instant with its offset (unambiguous in the autumn daylight-saving overlap). Versions rise with every change; a client whose last
 * known version is not {@code previousVersion} missed something and refetches.
 */
public record SlotEvent(String type, long staffId, LocalDate date, List<String> times, List<String> starts,
        long version,
        long previousVersion) {

    /** This change at these versions. */
    SlotEvent at(Versions versions) {
        return new SlotEvent(type, staffId, date, times, starts, versions.current(), versions.previous());
    }
}
