package io.holdfast.live.web;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.holdfast.catalog.Granules;
import io.holdfast.booking.Booking;
import io.holdfast.booking.Bookings;
import io.holdfast.catalog.Catalog;
import io.holdfast.availability.DayVersions;
import io.holdfast.availability.HeldGranule;
import io.holdfast.availability.LiveDay;
import io.holdfast.redis.RedisFirst;
import io.holdfast.availability.Selection;
import io.holdfast.redis.StorageMode;
import io.holdfast.hold.TemporaryStore;
import io.holdfast.web.ApiProblem;
import io.holdfast.web.WireTime;
import org.springframework.stereotype.Service;

/** What a live client of one staff member's day is told: by poll, or by stream. */
@Service
class LiveView {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private final DayVersions versions;
    private final TemporaryStore store;
    private final Catalog catalog;
    private final Bookings bookings;
    private final LiveStreams streams;
    private final RedisFirst redis;

    LiveView(DayVersions versions, TemporaryStore store, Catalog catalog, Bookings bookings, LiveStreams streams,
            RedisFirst redis) {
        this.versions = versions;
        this.store = store;
        this.catalog = catalog;
        this.bookings = bookings;
        this.streams = streams;
        this.redis = redis;
    }

    /**
     * API.md's poll answer; the lists are present only when something changed since the client's version. Each list
     * of local times has a list of the same slots' instants ({@code ...Starts}), which the autumn daylight-saving
     * overlap needs: there one local time names two starts.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Poll(long version, boolean changed, String storageMode, String redisStatus,
            List<String> activeSelections, List<String> heldSlots, List<String> bookedSlots,
            List<String> activeSelectionStarts, List<String> heldSlotStarts, List<String> bookedSlotStarts) {
    }

    /**
     * A poll whose version has not moved is answered from the version alone, as this instance knows it
     * ({@link DayVersions#recent}: no round trip while the day is polled often) and no database work at all (the
     * seeds poll every second, so this is the hot path).
     */
    public Poll poll(long staffId, LocalDate date, String clientId, Long since) {
        long version = versions.recent(staffId, date);
        StorageMode storage = store.mode(); // read once: storageMode and redisStatus are one snapshot
        String mode = storage.wire();
        if (version == 0) {
            requireStaff(staffId); // nothing ever changed here: the only case where we must look the staff up
        }
        if (since != null && since == version) {
            return new Poll(version, false, mode, redisStatus(storage), null, null, null, null, null, null);
        }
        ZoneId zone = zoneOf(staffId);
        Instant dayStart = date.atStartOfDay(zone).toInstant();
        Instant dayEnd = date.plusDays(1).atStartOfDay(zone).toInstant();
        // The version again, with the state: the answer's version is never older than the lists it comes with.
        LiveDay live = store.liveDay(staffId, date, Granules.of(dayStart), Granules.of(dayEnd) - 1,
                versions.read(staffId, date));
        Slots selected = new Slots(zone);
        for (Selection selection : live.selections()) {
            if (!selection.clientId().equals(clientId)) {
                selected.add(selection.start(zone));
            }
        }
        Slots held = new Slots(zone);
        for (HeldGranule granule : live.held()) {
            if (!granule.slotStart().isBefore(dayStart) && granule.slotStart().isBefore(dayEnd)) {
                held.add(granule.slotStart());
            }
        }
        Slots booked = new Slots(zone);
        for (Booking booking : bookings.onDay(date, staffId)) {
            if (booking.status() == Booking.Status.CONFIRMED) {
                booked.add(booking.start());
            }
        }
        return new Poll(live.version(), true, mode, redisStatus(storage), selected.times(), held.times(), booked.times(),
                selected.starts(), held.starts(), booked.starts());
    }

    /** Slot starts of a day, listed as distinct local times and as instants with their offset. */
    private record Slots(ZoneId zone, TreeSet<Instant> instants) {

        Slots(ZoneId zone) {
            this(zone, new TreeSet<>());
        }

        void add(Instant start) {
            instants.add(start);
        }

        List<String> times() {
            return List.copyOf(new TreeSet<>(instants.stream().map(start -> HH_MM.format(start.atZone(zone))).toList()));
        }

        List<String> starts() {
            return instants.stream().map(start -> WireTime.format(start, zone)).toList();
        }
    }

    /** Opens the day's event stream on this request (see {@link LiveStreams#open}). */
    void stream(long staffId, LocalDate date, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        requireStaff(staffId);
        streams.open(new LiveStreams.Channel(staffId, date), request.getRemoteAddr(), versions.current(staffId, date),
                request, response);
    }

    private String redisStatus(StorageMode mode) {
        return redis.configured() ? mode.redisStatus() : "disabled";
    }

    private void requireStaff(long staffId) {
        if (catalog.staffMember(staffId).isEmpty()) {
            throw ApiProblem.notFound("Staff member", staffId);
        }
    }

    private ZoneId zoneOf(long staffId) {
        return catalog.staffMember(staffId).flatMap(staff -> catalog.location(staff.locationId()))
                .map(location -> location.timeZone())
                .orElseThrow(() -> ApiProblem.notFound("Staff member", staffId));
    }
}
