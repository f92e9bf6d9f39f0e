package io.holdfast.live;

import io.holdfast.availability.Versions;
import io.holdfast.availability.DayVersions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.ScheduleChanged;
import io.holdfast.booking.BookedTimeChanged;
import io.holdfast.hold.HoldChanged;
import io.holdfast.hold.HoldItem;
import io.holdfast.hold.SelectionChanged;
import io.holdfast.hold.HoldLapsed;
import io.holdfast.availability.Selection;
import io.holdfast.hold.SelectionLapsed;
import io.holdfast.web.WireTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The one door through which changes reach live viewers: it raises the day's version and hands the event to the
 * bus, which delivers it to this instance's streams and, through Redis, to every other instance's.
 */
@Service
class LiveUpdates {

    private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private final DayVersions versions;
    private final LiveBus bus;
    private final Catalog catalog;

    LiveUpdates(DayVersions versions, LiveBus bus, Catalog catalog) {
        this.versions = versions;
        this.bus = bus;
        this.catalog = catalog;
    }

    /** Slots starting at these instants changed; grouped by the staff member's local day. */
    void slots(SlotEventType type, long staffId, Collection<Instant> starts) {
        Optional<ZoneId> zone = zoneOf(staffId);
        if (zone.isEmpty()) {
            return;
        }
        Map<LocalDate, TreeSet<Instant>> byDay = new TreeMap<>();
        for (Instant start : starts) {
            byDay.computeIfAbsent(start.atZone(zone.get()).toLocalDate(), day -> new TreeSet<>()).add(start);
        }
        byDay.forEach((day, instants) -> announce(type, staffId, day, zone.get(), List.copyOf(instants)));
    }

    /** The slots of these hold items changed. */
    void items(SlotEventType type, Collection<HoldItem> items) {
        Map<Long, List<Instant>> byStaff = new TreeMap<>();
        items.forEach(item -> byStaff.computeIfAbsent(item.staffId(), id -> new java.util.ArrayList<>()).add(item.start()));
        byStaff.forEach((staffId, starts) -> slots(type, staffId, starts));
    }

    /** A selection came or went (selections are kept by the day's "HH:mm" and offset). */
    void selection(SlotEventType type, Selection selection) {
        zoneOf(selection.staffId()).ifPresent(zone -> announce(type, selection.staffId(), selection.date(), zone,
                List.of(selection.start(zone))));
    }

    /**
     * A staff member's schedule changed (published after the change committed): every one of their days' versions rises (the
     * schedule version), so pollers refetch, and streams of the listed days get a {@code schedule} event.
     */
    @EventListener
    void scheduleChanged(ScheduleChanged changed) {
        quietly(() -> versions.bumpSchedule(changed.staffId()));
        // The zone only words the event's times, and a schedule event names none.
        changed.days().forEach(day -> announce(SlotEventType.SCHEDULE, changed.staffId(), day, ZoneOffset.UTC,
                List.of()));
    }

    @EventListener
    void holdChanged(HoldChanged changed) {
        items(changed.change() == HoldChanged.Change.HELD ? SlotEventType.HELD : SlotEventType.RELEASED,
                changed.items());
    }

    @EventListener
    void selectionChanged(SelectionChanged changed) {
        selection(changed.selected() ? SlotEventType.SELECTED : SlotEventType.UNSELECTED, changed.selection());
    }

    @EventListener
    void bookedTimeChanged(BookedTimeChanged changed) {
        slots(changed.booked() ? SlotEventType.BOOKED : SlotEventType.CANCELLED, changed.staffId(),
                List.of(changed.start()));
    }

    @EventListener
    void holdLapsed(HoldLapsed lapsed) {
        quietly(() -> items(lapsed.reason() == HoldLapsed.Reason.EXPIRED ? SlotEventType.EXPIRED
                : SlotEventType.RELEASED, lapsed.items()));
    }

    @EventListener
    void selectionLapsed(SelectionLapsed lapsed) {
        quietly(() -> selection(SlotEventType.UNSELECTED, lapsed.selection()));
    }

    private void announce(SlotEventType type, long staffId, LocalDate day, ZoneId zone, List<Instant> starts) {
        List<String> times = starts.stream().map(start -> HH_MM.format(start.atZone(zone))).toList();
        List<String> wireStarts = starts.stream().map(start -> WireTime.format(start, zone)).toList();
        quietly(() -> {
            SlotEvent change = new SlotEvent(type.wire(), staffId, day, times, wireStarts, 0, 0);
            // One round trip on Redis: the raise publishes the change to the other instances with its versions.
            Versions bumped = versions.bump(staffId, day, bus.relayed(change));
            bus.deliver(change.at(bumped));
        });
    }

    private Optional<ZoneId> zoneOf(long staffId) {
        try {
            Optional<ZoneId> zone = catalog.staffMember(staffId)
                    .flatMap(staff -> catalog.location(staff.locationId())).map(location -> location.timeZone());
            if (zone.isEmpty()) {
                log.debug("No live update for staff member {}: it does not exist", staffId);
            }
            return zone;
        } catch (RuntimeException unreadable) {
            log.warn("No live update for staff member {}: {}", staffId, unreadable.getMessage());
            return Optional.empty();
        }
    }

    /** Announcing is a courtesy to viewers: a failure is logged, never passed to whoever changed the slot. */
    private static void quietly(Runnable announcement) {
        try {
            announcement.run();
        } catch (RuntimeException failure) {
            log.warn("Could not announce a slot change", failure);
        }
    }
}
