package io.holdfast.cache;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Fills the caches ahead of demand: at start-up (in the background, so the server answers at once) and then every
 * {@code holdfast.cache.warm-interval}, the next {@code holdfast.cache.warm-days} days of every staff member, the
 * catalogue and today's dashboard. Reads go through the caches, so what another instance already put in Redis is
 * only copied into local memory, and concurrent warming on several instances loads each key once.
 */
class CacheWarming {

    private static final Logger log = LoggerFactory.getLogger(CacheWarming.class);

    private final List<CacheWarmer> warmers;
    private final TwoLevelCacheManager caches;
    private final CacheSettings settings;

    CacheWarming(List<CacheWarmer> warmers, TwoLevelCacheManager caches, CacheSettings settings) {
        this.warmers = warmers;
        this.caches = caches;
        this.settings = settings;
    }

    /** What one cache's warming did. */
    record Warmed(String cache, int reads, long loadedFromDatabase, int failed) {
    }

    record Report(String trigger, List<Warmed> caches, long tookMillis) {
    }

    @EventListener(ApplicationReadyEvent.class)
    void warmAfterStart() {
        if (settings.enabled() && settings.warmOnStart()) {
            Thread thread = new Thread(() -> warm("start-up"), "cache-warming");
            thread.setDaemon(true);
            thread.start();
        }
    }

    void warmOnSchedule() {
        if (settings.enabled()) {
            warm("schedule");
        }
    }

    synchronized Report warm(String trigger) {
        long start = System.nanoTime();
        List<Warmed> results = new ArrayList<>();
        List<CacheWarmer> all = new ArrayList<>(warmers);
        List<List<Runnable>> reads = new ArrayList<>();
        int total = 0;
        for (CacheWarmer warmer : all) {
            try {
                List<Runnable> cacheReads = warmer.warmingReads(settings.warmDays());
                reads.add(cacheReads);
                total += cacheReads.size();
            } catch (RuntimeException failure) {
                log.warn("Cache warming ({}): could not list the reads of {}", trigger, warmer.cacheName(), failure);
                reads.add(List.of());
            }
        }
        log.info("Cache warming ({}): {} reads in {} caches, {} days ahead", trigger, total, all.size(),
                settings.warmDays());
        int done = 0;
        int nextReport = Math.max(1, total / 4);
        for (int i = 0; i < all.size(); i++) {
            CacheWarmer warmer = all.get(i);
            TwoLevelCache cache = (TwoLevelCache) caches.getCache(warmer.cacheName());
            long loadsBefore = cache == null ? 0 : cache.meters().loads.count();
            int failed = 0;
            for (Runnable read : reads.get(i)) {
                try {
                    read.run();
                } catch (RuntimeException failure) {
                    failed++;
                    log.debug("Cache warming ({}): a read of {} failed", trigger, warmer.cacheName(), failure);
                }
                done++;
                if (done >= nextReport && done < total) {
                    log.info("Cache warming ({}): {}/{} reads ({}%)", trigger, done, total, 100 * done / total);
                    nextReport += Math.max(1, total / 4);
                }
            }
            long loaded = cache == null ? 0 : cache.meters().loads.count() - loadsBefore;
            results.add(new Warmed(warmer.cacheName(), reads.get(i).size(), loaded, failed));
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        log.info("Cache warming ({}) done in {} ms: {}", trigger, took, results.stream()
                .map(w -> w.cache() + " " + w.reads() + " reads, " + w.loadedFromDatabase() + " from the database"
                        + (w.failed() > 0 ? ", " + w.failed() + " failed" : ""))
                .toList());
        return new Report(trigger, results, took);
    }
}
