package io.holdfast.cache;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which local entries of one cache are stamped with which tag, so that an invalidation removes the entries of its
 * tags instead of scanning every local entry of every cache: the scan, once per booking, was 2.4 % of the request
 * threads' samples in the booking load of issue #13 (3.7 % of a hold + booking's).
 * <p>
 * Never fewer entries than the local map holds under a tag, which is what keeps invalidation exact: an entry is
 * indexed inside the map's own atomic insert of it ({@link TwoLevelCache#get}'s mapping function), so before its load
 * reads anything (indexed after its load, a drop in between would miss a stale entry), and taken out of
 * the index only inside the map's atomic removal of it (an eviction's listener, {@link TwoLevelCache#removeLocal}).
 * A drop takes a tag's whole set out first and then removes its entries from the map; an entry indexed after that
 * was inserted after the tag's new version was in Redis, so it loads the new state. The index may list a key the map
 * no longer has (a failed load's entry, which Caffeine removes itself, until the key is removed or evicted after a
 * later load): removing it then is a no-op.
 * <p>
 * Lock order, always: the map's lock of a key, then this index's lock of a tag; a drop takes the two one after the
 * other, never one inside the other.
 */
final class LocalTagIndex {

    private final ConcurrentMap<String, Set<EntryKey>> byTag = new ConcurrentHashMap<>();

    /** Lists the entry under each of its tags; called inside the map's atomic insert of the entry. */
    void index(EntryKey entry) {
        for (String tag : entry.tags()) {
            byTag.compute(tag, (any, keys) -> {
                Set<EntryKey> listed = keys != null ? keys : ConcurrentHashMap.newKeySet();
                listed.add(entry);
                return listed;
            });
        }
    }

    /** Takes the entry off each of its tags; called inside the map's atomic removal of the entry. */
    void unindex(EntryKey entry) {
        for (String tag : entry.tags()) {
            byTag.computeIfPresent(tag, (any, keys) -> {
                keys.remove(entry);
                return keys.isEmpty() ? null : keys;
            });
        }
    }

    /** Takes these tags' sets out of the index and returns their entries (which the caller then removes). */
    Set<EntryKey> takeOut(Collection<String> tags) {
        Set<EntryKey> taken = new java.util.HashSet<>();
        for (String tag : tags) {
            Set<EntryKey> keys = byTag.remove(tag);
            if (keys != null) {
                taken.addAll(keys);
            }
        }
        return taken;
    }

    /** Keys listed under any tag, counted once per tag (for tests). */
    int size() {
        return byTag.values().stream().mapToInt(Set::size).sum();
    }
}
