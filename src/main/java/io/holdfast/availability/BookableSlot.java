package io.holdfast.availability;

import io.holdfast.catalog.ServiceOffering;
import io.holdfast.catalog.StaffSchedule;

/** A start time the schedule allows for this staff member and service, with the time it would occupy. */
public record BookableSlot(StaffSchedule schedule, ServiceOffering service, Candidate candidate, Occupancy occupancy) {

    public long staffId() {
        return schedule.staff().id();
    }
}
