package io.holdfast.live;

import java.time.LocalDate;
import java.util.List;

/**
 * One change of a staff member's day as viewers receive it. Versions rise with every change; a client whose last
 * known version is not {@code previousVersion} missed something and refetches.
 */
public record SlotEvent(String type, long staffId, LocalDate date, List<String> times, long version,
        long previousVersion) {
}
