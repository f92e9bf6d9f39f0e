package io.holdfast.live;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.ScheduleChanged;
import io.holdfast.hold.HoldItem;
import io.holdfast.hold.HoldLapsed;
import io.holdfast.hold.SelectionLapsed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The one door through which changes reach live viewers: it raises the day's version and hands the event to the
 * bus, which delivers it to this instance's streams and, through Redis, to every other instance's.
 */
@Service
public class LiveUpdates {

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
    public void slots(SlotEventType type, long staffId, Collection<Instant> starts) {
        ZoneId zone;
        try {
            zone = zoneOf(staffId);
        } catch (RuntimeException gone) {
            log.debug("No live update for staff member {}: {}", staffId, gone.getMessage());
            return;
        }
        Map<LocalDate, TreeSet<String>> byDay = new TreeMap<>();
        for (Instant start : starts) {
            ZonedDateTime local = start.atZone(zone);
            byDay.computeIfAbsent(local.toLocalDate(), day -> new TreeSet<>()).add(HH_MM.format(local));
        }
        byDay.forEach((day, times) -> announce(type, staffId, day, List.copyOf(times)));
    }

    /** The slots of these hold items changed. */
    public void items(SlotEventType type, Collection<HoldItem> items) {
        Map<Long, List<Instant>> byStaff = new TreeMap<>();
        items.forEach(item -> byStaff.computeIfAbsent(item.staffId(), id -> new java.util.ArrayList<>()).add(item.start()));
        byStaff.forEach((staffId, starts) -> slots(type, staffId, starts));
    }

    /** A slot given in local time changed (selections are kept as the day's "HH:mm"). */
    public void slot(SlotEventType type, long staffId, LocalDate day, String time) {
        announce(type, staffId, day, List.of(time));
    }

    /**
     * A staff member's schedule changed (published after the change committed): every one of their days' versions rises (the
     * schedule version), so pollers refetch, and streams of the listed days get a {@code schedule} event.
     */
    @EventListener
    void scheduleChanged(ScheduleChanged changed) {
        quietly(() -> versions.bumpSchedule(changed.staffId()));
        changed.days().forEach(day -> announce(SlotEventType.SCHEDULE, changed.staffId(), day, List.of()));
    }

    @EventListener
    void holdLapsed(HoldLapsed lapsed) {
        quietly(() -> items(lapsed.reason() == HoldLapsed.Reason.EXPIRED ? SlotEventType.EXPIRED
                : SlotEventType.RELEASED, lapsed.items()));
    }

    @EventListener
    void selectionLapsed(SelectionLapsed lapsed) {
        quietly(() -> slot(SlotEventType.UNSELECTED, lapsed.selection().staffId(), lapsed.selection().date(),
                lapsed.selection().time()));
    }

    private void announce(SlotEventType type, long staffId, LocalDate day, List<String> times) {
        quietly(() -> {
            Versions bumped = versions.bump(staffId, day);
            bus.publish(new SlotEvent(type.wire(), staffId, day, times, bumped.current(), bumped.previous()));
        });
    }

    private ZoneId zoneOf(long staffId) {
        return catalog.staffMember(staffId).flatMap(staff -> catalog.location(staff.locationId()))
                .map(location -> location.timeZone())
                .orElseThrow(() -> new IllegalArgumentException("Staff member " + staffId + " does not exist"));
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
