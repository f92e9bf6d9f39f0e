package io.holdfast.catalog.web;

import java.util.List;

import jakarta.validation.constraints.Positive;

import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.Location;
import io.holdfast.catalog.ServiceOffering;
import io.holdfast.catalog.StaffMember;
import io.holdfast.web.ApiProblem;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Catalog")
@RestController
@RequestMapping("/api/v1")
class CatalogController {

    private final Catalog catalog;

    CatalogController(Catalog catalog) {
        this.catalog = catalog;
    }

    record LocationView(long id, String name, String timeZone, int slotIntervalMinutes, int minNoticeMinutes,
            int bookingWindowDays, int cancelCutoffMinutes) {

        static LocationView of(Location location) {
            return new LocationView(location.id(), location.name(), location.timeZone().getId(),
                    location.slotIntervalMinutes(), location.rules().minNoticeMinutes(),
                    location.rules().bookingWindowDays(), location.rules().cancelCutoffMinutes());
        }
    }

    @Operation(summary = "Locations with their time zone, slot grid and booking rules")
    @GetMapping("/locations")
    List<LocationView> locations() {
        return catalog.locations().stream().map(LocationView::of).toList();
    }

    @Operation(summary = "Services with their duration, buffers and price")
    @GetMapping("/services")
    List<ServiceOffering> services() {
        return catalog.services();
    }

    @GetMapping("/staff")
    @Operation(summary = "Staff members, of one location or all")
    @Refusals(ProblemCode.NOT_FOUND)
    List<StaffMember> staff(@RequestParam(required = false) @Positive Long locationId) {
        if (locationId != null && catalog.location(locationId).isEmpty()) {
            // An unknown location is a mistake the client should hear about, not a location without staff.
            throw ApiProblem.notFound("Location", locationId);
        }
        return catalog.staff(locationId);
    }
}
