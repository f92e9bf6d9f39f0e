package io.holdfast.catalog;

import java.util.List;

/** Everything needed to compute a staff member's bookable times: where, when they work, when they are off. */
public record StaffSchedule(StaffMember staff, Location location, List<WorkingWindow> workingHours,
        List<TimeOff> timeOff) {
}
