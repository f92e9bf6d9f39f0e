package io.holdfast.ops;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.holdfast.cache.CacheNames;
import io.holdfast.cache.CacheWarmer;
import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.Location;
import org.springframework.stereotype.Component;

/** Warms today's dashboard of every location. */
@Component
class DashboardWarmer implements CacheWarmer {

    private final TodayDashboard dashboard;
    private final Catalog catalog;
    private final Clock clock;

    DashboardWarmer(TodayDashboard dashboard, Catalog catalog, Clock clock) {
        this.dashboard = dashboard;
        this.catalog = catalog;
        this.clock = clock;
    }

    @Override
    public String cacheName() {
        return CacheNames.DASHBOARD;
    }

    @Override
    public List<Runnable> warmingReads(int days) {
        List<Runnable> reads = new ArrayList<>();
        for (Location location : catalog.locations()) {
            reads.add(() -> dashboard.of(location, clock.instant().atZone(location.timeZone()).toLocalDate()));
        }
        return reads;
    }
}
