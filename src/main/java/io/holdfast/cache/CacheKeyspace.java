package io.holdfast.cache;

import java.time.LocalDate;
import java.util.List;

/**
 * Holdfast's cache keys, all under {@code hfc:<namespace>:} (the temporary store uses {@code hf:}). The namespace
 * is created once per database and shared by every instance through it, so two deployments (or two test
 * databases) on one Redis never read each other's entries.
 *
 * <pre>
 * hfc:&lt;ns&gt;:{s:42}:availability:2026-11-23     a staff member's day
 * hfc:&lt;ns&gt;:{s:42}:tag:staff                   version of everything about staff member 42
 * hfc:&lt;ns&gt;:{s:42}:tag:day:2026-11-23          version of the bookings of one of their days
 * hfc:&lt;ns&gt;:{catalog}:catalog.staff:all        catalogue reads, one tag: hfc:&lt;ns&gt;:{catalog}:tag
 * hfc:&lt;ns&gt;:{dash}:dashboard:3:2026-11-23      today's dashboard, one tag: hfc:&lt;ns&gt;:{dash}:tag
 * </pre>
 */
final class CacheKeyspace {

    private final String prefix;

    CacheKeyspace(String namespace) {
        this.prefix = "hfc:" + namespace + ":";
    }

    String prefix() {
        return prefix;
    }

    String staffTag(long staffId) {
        return prefix + "{s:" + staffId + "}:tag:staff";
    }

    String dayTag(long staffId, LocalDate date) {
        return prefix + "{s:" + staffId + "}:tag:day:" + date;
    }

    String catalogTag() {
        return prefix + "{catalog}:tag";
    }

    String dashboardTag() {
        return prefix + "{dash}:tag";
    }

    String invalidationChannel() {
        return prefix + "invalidations";
    }

    String ackChannel(String instanceId) {
        return prefix + "acks:" + instanceId;
    }

    /** Tag keys are never removed by an admin clear: removing one could make an invalidated entry valid again. */
    static boolean isTag(String key) {
        return key.contains("}:tag");
    }

    EntryKey entry(String cache, Object key) {
        return new EntryKey(cache, key, this);
    }

    EntryKey.Location locate(String cache, Object key) {
        if (key instanceof StaffDayKey day) {
            String entry = prefix + "{s:" + day.staffId() + "}:" + cache + ":" + day.date();
            // A schedule changes with its staff member (hours, time off, the location), never with a booking.
            return new EntryKey.Location(entry, entry + ":lock", cache.equals(CacheNames.SCHEDULE)
                    ? List.of(staffTag(day.staffId()))
                    : List.of(staffTag(day.staffId()), dayTag(day.staffId(), day.date())));
        }
        if (cache.equals(CacheNames.DASHBOARD)) {
            String entry = prefix + "{dash}:" + cache + ":" + key;
            return new EntryKey.Location(entry, entry + ":lock", List.of(dashboardTag()));
        }
        String entry = prefix + "{catalog}:" + cache + ":" + key;
        return new EntryKey.Location(entry, entry + ":lock", List.of(catalogTag()));
    }
}
