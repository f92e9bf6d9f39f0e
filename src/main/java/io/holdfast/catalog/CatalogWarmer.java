package io.holdfast.catalog;

import java.util.ArrayList;
import java.util.List;

import io.holdfast.cache.CacheNames;
import io.holdfast.cache.CacheWarmer;
import org.springframework.stereotype.Component;

/** Warms the catalogue lists the booking page reads first. */
@Component
class CatalogWarmer implements CacheWarmer {

    private final Catalog catalog;

    /** The Catalog bean is the caching proxy, so these reads fill its caches. */
    CatalogWarmer(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public String cacheName() {
        return CacheNames.STAFF;
    }

    @Override
    public List<Runnable> warmingReads(int days) {
        List<Runnable> reads = new ArrayList<>();
        reads.add(catalog::services);
        reads.add(() -> catalog.staff(null));
        for (Location location : catalog.locations()) {
            reads.add(() -> catalog.staff(location.id()));
        }
        return reads;
    }
}
