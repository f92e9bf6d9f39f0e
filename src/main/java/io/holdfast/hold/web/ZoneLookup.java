package io.holdfast.hold.web;

import java.time.ZoneId;

import io.holdfast.catalog.Catalog;
import org.springframework.stereotype.Component;

/** Formats hold times in the staff member's location zone, as everywhere else in the API. */
@Component
class ZoneLookup {

    private final Catalog catalog;

    ZoneLookup(Catalog catalog) {
        this.catalog = catalog;
    }

    ZoneId of(long staffId) {
        return catalog.staffMember(staffId)
                .flatMap(staff -> catalog.location(staff.locationId()))
                .map(location -> location.timeZone())
                .orElse(java.time.ZoneOffset.UTC);
    }
}
