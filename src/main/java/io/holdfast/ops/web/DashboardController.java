package io.holdfast.ops.web;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.holdfast.ops.TodayDashboard;
import jakarta.validation.constraints.Positive;

import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.Location;
import io.holdfast.catalog.StaffMember;
import io.holdfast.web.ApiProblem;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/admin/dashboard/today}: today (in each location's zone) at a glance, admin token required. */
@RestController
@Validated
class DashboardController {

    private final TodayDashboard dashboard;
    private final Catalog catalog;
    private final Clock clock;

    DashboardController(TodayDashboard dashboard, Catalog catalog, Clock clock) {
        this.dashboard = dashboard;
        this.catalog = catalog;
        this.clock = clock;
    }

    record Today(int bookings, int cancelled, long revenueCents, long bookedMinutes, long workingMinutes,
            double utilisation, List<TodayDashboard.StaffToday> staff) {
    }

    @Operation(summary = "Today's bookings, revenue and utilisation, per staff member")
    @Refusals(ProblemCode.NOT_FOUND)
    @GetMapping("/api/v1/admin/dashboard/today")
    Today today(@RequestParam(required = false) @Positive Long locationId,
            @RequestParam(required = false) @Positive Long staffId) {
        List<Location> locations = new ArrayList<>();
        if (locationId != null) {
            locations.add(catalog.location(locationId).orElseThrow(() -> ApiProblem.notFound("Location", locationId)));
        }
        if (staffId != null) {
            StaffMember member = catalog.staffMember(staffId)
                    .orElseThrow(() -> ApiProblem.notFound("Staff member", staffId));
            if (locationId != null && member.locationId() != locationId) {
                throw ApiProblem.notFound("Staff member " + staffId + " at location", locationId);
            }
            if (locationId == null) {
                locations.add(catalog.location(member.locationId()).orElseThrow());
            }
        }
        if (locations.isEmpty()) {
            locations.addAll(catalog.locations());
        }
        List<TodayDashboard.StaffToday> lines = new ArrayList<>();
        for (Location location : locations) {
            var today = clock.instant().atZone(location.timeZone()).toLocalDate();
            dashboard.of(location, today).staff().stream()
                    .filter(line -> staffId == null || line.staffId() == staffId)
                    .forEach(lines::add);
        }
        int bookings = lines.stream().mapToInt(TodayDashboard.StaffToday::bookings).sum();
        int cancelled = lines.stream().mapToInt(TodayDashboard.StaffToday::cancelled).sum();
        long revenue = lines.stream().mapToLong(TodayDashboard.StaffToday::revenueCents).sum();
        long booked = lines.stream().mapToLong(TodayDashboard.StaffToday::bookedMinutes).sum();
        long working = lines.stream().mapToLong(TodayDashboard.StaffToday::workingMinutes).sum();
        double utilisation = working == 0 ? 0 : Math.round(1000.0 * booked / working) / 1000.0;
        return new Today(bookings, cancelled, revenue, booked, working, utilisation, lines);
    }
}
