package io.holdfast.hold;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.Location;
import org.springframework.stereotype.Component;

/**
 * The live holds an operator sees (the seeds' "active locks" debug page): one entry per held appointment, with
 * what is left of its lease, from the store that serves holds now. In Redis mode the records are found by SCAN on
 * every master; a Redis failure on the way is a failover like any other and the SQL store answers.
 *
 * <p>Entries come sorted by start time (then staff member, hold, position in the hold) and a page continues after
 * the last entry of the previous one. Each page reads the store afresh, so holds come and go between pages, but an
 * entry that lives across them is listed exactly once, which a SCAN cursor handed to the client could not promise.
 */
@Component
public class LiveHolds {

    private static final Comparator<Entry> ORDER = Comparator.comparing(Entry::start)
            .thenComparingLong(Entry::staffId).thenComparing(Entry::holdId).thenComparingInt(Entry::position);

    private final TemporaryStore store;
    private final Catalog catalog;

    LiveHolds(TemporaryStore store, Catalog catalog) {
        this.store = store;
        this.catalog = catalog;
    }

    /**
     * One held appointment. {@code position} is the item's place in its hold (a batch hold has several).
     * {@code zone} is the staff member's location zone, in which {@code start} belongs to a day.
     */
    public record Entry(UUID holdId, int position, long staffId, long serviceId, Instant start, Instant end,
            String clientId, Instant expiresAt, ZoneId zone) {
    }

    /** Where to continue: the sort key of the last entry of the previous page. */
    public record After(Instant start, long staffId, UUID holdId, int position) {

        static After of(Entry entry) {
            return new After(entry.start(), entry.staffId(), entry.holdId(), entry.position());
        }
    }

    /** @param store {@code redis} or {@code sql}: where the entries were read */
    public record Page(String store, List<Entry> entries, After next) {
    }

    /**
     * Live entries, filtered by staff member and by day (in the staff member's zone) when given, after
     * {@code after} when given, at most {@code limit}; {@code next} is null on the last page.
     */
    public Page list(Long staffId, LocalDate date, After after, int limit) {
        TemporaryStore.Listing listing = store.listLive();
        Map<Long, ZoneId> zones = new HashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (SlotHold hold : listing.holds()) {
            for (int position = 0; position < hold.items().size(); position++) {
                HoldItem item = hold.items().get(position);
                if (staffId != null && item.staffId() != staffId) {
                    continue;
                }
                ZoneId zone = zones.computeIfAbsent(item.staffId(), this::zoneOf);
                if (date != null && !item.start().atZone(zone).toLocalDate().equals(date)) {
                    continue;
                }
                Entry entry = new Entry(hold.id(), position, item.staffId(), item.serviceId(), item.start(),
                        item.end(), hold.clientId(), hold.expiresAt(), zone);
                if (after == null || ORDER.compare(entry, probe(after)) > 0) {
                    entries.add(entry);
                }
            }
        }
        entries.sort(ORDER);
        List<Entry> page = entries.subList(0, Math.min(limit, entries.size()));
        After next = entries.size() > limit ? After.of(page.get(page.size() - 1)) : null;
        return new Page(listing.store().wire(), List.copyOf(page), next);
    }

    private ZoneId zoneOf(long staffId) {
        return catalog.staffMember(staffId).flatMap(member -> catalog.location(member.locationId()))
                .map(Location::timeZone).orElse(ZoneOffset.UTC);
    }

    /** Someone looking at a start; {@code zone} as for {@link Entry}. */
    public record Looking(long staffId, Instant start, String clientId, Instant expiresAt, ZoneId zone) {
    }

    /** @param store {@code redis} or {@code sql}: where the selections were read */
    public record Selections(String store, List<Looking> selections) {
    }

    /**
     * Live selections, filtered by staff member and by day when given, sorted by start, then staff member: few
     * (each lives seconds unless renewed), so not paged.
     */
    public Selections selections(Long staffId, LocalDate date) {
        TemporaryStore.SelectionListing listing = store.listLiveSelections();
        Map<Long, ZoneId> zones = new HashMap<>();
        List<Looking> looking = new ArrayList<>();
        for (TimedSelection timed : listing.selections()) {
            var selection = timed.selection();
            if ((staffId != null && selection.staffId() != staffId) || (date != null && !selection.date().equals(date))) {
                continue;
            }
            ZoneId zone = zones.computeIfAbsent(selection.staffId(), this::zoneOf);
            looking.add(new Looking(selection.staffId(), selection.start(zone), selection.clientId(), timed.expiresAt(),
                    zone));
        }
        looking.sort(Comparator.comparing(Looking::start).thenComparingLong(Looking::staffId));
        return new Selections(listing.store().wire(), List.copyOf(looking));
    }

    private static Entry probe(After after) {
        return new Entry(after.holdId(), after.position(), after.staffId(), 0, after.start(), after.start(), null,
                after.start(), ZoneOffset.UTC);
    }
}
