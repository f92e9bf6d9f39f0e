package io.holdfast.availability;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import io.holdfast.cache.CacheNames;
import io.holdfast.cache.CacheWarmer;
import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.Location;
import io.holdfast.catalog.StaffMember;
import org.springframework.stereotype.Component;

/** Warms the next days of every staff member (dates in their location's zone). */
@Component
class AvailabilityWarmer implements CacheWarmer {

    private final Catalog catalog;
    private final StaffDays staffDays;
    private final Clock clock;

    AvailabilityWarmer(Catalog catalog, StaffDays staffDays, Clock clock) {
        this.catalog = catalog;
        this.staffDays = staffDays;
        this.clock = clock;
    }

    @Override
    public String cacheName() {
        return CacheNames.AVAILABILITY;
    }

    @Override
    public List<Runnable> warmingReads(int days) {
        List<Runnable> reads = new ArrayList<>();
        for (Location location : catalog.locations()) {
            LocalDate today = clock.instant().atZone(location.timeZone()).toLocalDate();
            for (StaffMember member : catalog.staff(location.id())) {
                for (int day = 0; day < days; day++) {
                    LocalDate date = today.plusDays(day);
                    reads.add(() -> staffDays.of(member.id(), date));
                }
            }
        }
        return reads;
    }
}
