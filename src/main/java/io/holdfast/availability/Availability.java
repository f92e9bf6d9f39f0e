package io.holdfast.availability;

import io.holdfast.catalog.Granules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.holdfast.cache.CacheInvalidation;
import io.holdfast.catalog.BookingRules;
import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.ServiceOffering;
import io.holdfast.catalog.StaffMember;
import io.holdfast.catalog.StaffSchedule;
import io.holdfast.redis.RedisFirst;
import io.holdfast.catalog.CatalogRefused;
import io.holdfast.web.WireTime;
import org.springframework.stereotype.Service;

/**
 * Bookable slots of a staff member: the schedule (working hours, breaks, time off, notice, window) minus
 * confirmed bookings, with holds and selections laid over live at read time. The schedule and the confirmed
 * bookings of a day come from the availability cache ({@link StaffDays}); holds and selections never do.
 */
@Service
public class Availability {

    private final Catalog catalog;
    private final BookedGranules booked;
    private final StaffDays staffDays;
    private final HeldTimes temporary;
    private final RedisFirst storage;
    private final DayVersions versions;
    private final CacheInvalidation invalidation;
    private final Clock clock;
    /** How long a day's live read may be reused while its version stands (see {@link #liveDay}). */
    static final Duration LIVE_REUSE = Duration.ofSeconds(1);
    private final Cache<LiveKey, RecentLive> recentLive = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(LIVE_REUSE.multipliedBy(5)).build();
    private final Cache<DayAsked, DayAnswered> answered = Caffeine.newBuilder().maximumSize(2_000)
            .expireAfterWrite(LIVE_REUSE.multipliedBy(5)).build();
    private final Cache<StartsAsked, Starts> starts = Caffeine.newBuilder().maximumSize(2_000)
            .expireAfterWrite(LIVE_REUSE.multipliedBy(5)).build();

    Availability(Catalog catalog, BookedGranules booked, StaffDays staffDays, HeldTimes temporary, RedisFirst storage,
            DayVersions versions, CacheInvalidation invalidation, Clock clock) {
        this.catalog = catalog;
        this.booked = booked;
        this.staffDays = staffDays;
        this.temporary = temporary;
        this.storage = storage;
        this.versions = versions;
        this.invalidation = invalidation;
        this.clock = clock;
    }

    public DaySlots day(long staffId, long serviceId, LocalDate date, String clientId) {
        StaffMember staff = staffMember(staffId);
        ServiceOffering service = service(serviceId);
        if (!staff.offers(serviceId)) {
            throw SlotRefused.notOffered(staffId, serviceId);
        }
        StaffDay day = staffDay(staffId, date);
        StaffSchedule schedule = day.schedule();
        Starts starts = startsOn(schedule, service, date);
        List<Candidate> candidates = starts.candidates();
        Unbookable closed = starts.closed();
        String mode = storage.mode().wire();
        if (candidates.isEmpty()) {
            return new DaySlots(staffId, serviceId, date, schedule.location().timeZone(),
                    versions.current(staffId, date), mode, List.of(), closed);
        }
        long first = Granules.of(Occupancy.of(service, candidates.get(0).instant()).from());
        long last = Granules.of(Occupancy.of(service, candidates.get(candidates.size() - 1).instant()).to());
        LiveDay live = liveDay(staffId, date, first, last);
        DayAsked asked = new DayAsked(staffId, serviceId, date, clientId);
        DayAnswered before = answered.getIfPresent(asked);
        if (before != null && before.from(staff, service, day, live, mode, candidates, closed)) {
            return before.slots();
        }
        Map<Long, HeldGranule> held = new HashMap<>();
        live.held().forEach(granule -> held.put(granule.granule(), granule));
        Set<Instant> selectedByOthers = new HashSet<>();
        for (Selection selection : live.selections()) {
            if (!selection.clientId().equals(clientId)) {
                candidates.stream().filter(candidate -> selection.isOf(candidate.start()))
                        .forEach(candidate -> selectedByOthers.add(candidate.instant()));
            }
        }
        List<DaySlots.Slot> slots = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates) {
            slots.add(new DaySlots.Slot(candidate, state(service, candidate, day, held, selectedByOthers, clientId)));
        }
        DaySlots answer = new DaySlots(staffId, serviceId, date, schedule.location().timeZone(), live.version(), mode,
                List.copyOf(slots), closed);
        answered.put(asked, new DayAnswered(staff, service, day, live, mode, candidates, closed, answer));
        return answer;
    }

    /**
     * The day's bookable starts and why none are when none are, as {@link BookableTimes} answers them now: the answer
     * of a moment ago while it stands ({@link BookableTimes#sameUntil}) for the same schedule and service objects
     * (the cached ones: a change of either is a new object), since working them out was most of a cached day's own
     * time (issue #13), and the same list again lets {@link DayAnswered} see the same starts at a glance.
     */
    private Starts startsOn(StaffSchedule schedule, ServiceOffering service, LocalDate date) {
        Instant now = clock.instant();
        StartsAsked asked = new StartsAsked(schedule.staff().id(), service.id(), date);
        Starts known = starts.getIfPresent(asked);
        if (known != null && known.schedule() == schedule && known.service() == service
                && !now.isBefore(known.from()) && now.isBefore(known.until())) {
            return known;
        }
        List<Candidate> candidates = List.copyOf(BookableTimes.on(schedule, service, date, now));
        Starts fresh = new Starts(schedule, service, candidates,
                BookableTimes.closedDay(schedule, date, now).orElse(null), now,
                BookableTimes.sameUntil(schedule, now, candidates));
        starts.put(asked, fresh);
        return fresh;
    }

    private record StartsAsked(long staffId, long serviceId, LocalDate date) {
    }

    /** What {@link BookableTimes} answered for a schedule and service from {@code from}, standing until {@code until}. */
    private record Starts(StaffSchedule schedule, ServiceOffering service, List<Candidate> candidates, Unbookable closed,
            Instant from, Instant until) {
    }

    /** Who asked for which day: the slots' states depend on the client (its own holds are {@code mine}). */
    private record DayAsked(long staffId, long serviceId, LocalDate date, String clientId) {
    }

    /**
     * A day's slots and everything they were made from. The same objects (the cached staff member, service and day,
     * the same live read, which {@link #liveDay} reuses while the version stands) and equal candidates (which move
     * with the clock) give the same slots, so they are answered again rather than made again (issue #13): with
     * the same object, the edge writes the same bytes it wrote before ({@code AvailabilityAnswer}).
     */
    private record DayAnswered(StaffMember staff, ServiceOffering service, StaffDay day, LiveDay live, String mode,
            List<Candidate> candidates, Unbookable closed, DaySlots slots) {

        boolean from(StaffMember staff, ServiceOffering service, StaffDay day, LiveDay live, String mode,
                List<Candidate> candidates, Unbookable closed) {
            return this.staff == staff && this.service == service && this.day == day && this.live == live
                    && this.mode.equals(mode) && java.util.Objects.equals(this.closed, closed)
                    && this.candidates.equals(candidates);
        }
    }

    /**
     * The day's holds and selections with its version: the last read of them while the day's version has not moved
     * since and it is at most {@link #LIVE_REUSE} old, else a new read. Every change of a day's holds and
     * selections raises its version before it is acknowledged (a hold, a release, a booking, a selection), so a
     * reused read is what a new one would give, but in the moments between a lease's lapse and its announcement;
     * those end with the version's rise, or within {@code LIVE_REUSE} at the latest. A cached day's read then costs
     * the version's two keys instead of its ~150 granule keys (issue #13: reading and decoding those was about a third
     * of a cached availability request), and nothing while this instance knows the version from moments ago
     * ({@link DayVersions#recent}). A new read takes the version with the state, in one round trip, so the
     * version is never older than the state it comes with.
     */
    private LiveDay liveDay(long staffId, LocalDate date, long first, long last) {
        LiveKey key = new LiveKey(staffId, date, first, last);
        RecentLive recent = recentLive.getIfPresent(key);
        if (recent != null) {
            Duration age = Duration.between(recent.readAt(), clock.instant());
            if (!age.isNegative() && age.compareTo(LIVE_REUSE) < 0
                    && versions.recent(staffId, date) == recent.live().version()) {
                return recent.live();
            }
        }
        Instant readAt = clock.instant();
        LiveDay live = temporary.liveDay(staffId, date, first, last, versions.read(staffId, date));
        recentLive.put(key, new RecentLive(live, readAt));
        return live;
    }

    /** A day's live read as {@link #liveDay} keeps it: which range of which day. */
    private record LiveKey(long staffId, LocalDate date, long first, long last) {
    }

    private record RecentLive(LiveDay live, Instant readAt) {
    }

    /**
     * Booked wins; then a start whose occupancy touches time this client holds is {@code mine} (API.md: never
     * {@code held} because of the caller's own hold, so a neighbouring start that would overlap it is not shown
     * as someone else's); then time anyone else holds is {@code held}.
     */
    private static SlotState state(ServiceOffering service, Candidate candidate, StaffDay day,
            Map<Long, HeldGranule> held, Set<Instant> selectedByOthers, String clientId) {
        boolean heldByOther = false;
        boolean mine = false;
        for (long granule : Occupancy.of(service, candidate.instant()).granules()) {
            if (day.bookedAt(granule)) {
                return SlotState.BOOKED;
            }
            HeldGranule lease = held.get(granule);
            if (lease != null) {
                if (lease.clientId().equals(clientId)) {
                    mine = true;
                } else {
                    heldByOther = true;
                }
            }
        }
        if (mine) {
            return SlotState.MINE;
        }
        if (heldByOther) {
            return SlotState.HELD;
        }
        return selectedByOthers.contains(candidate.instant()) ? SlotState.SELECTED : SlotState.FREE;
    }

    /**
     * Checks that the schedule offers this exact start for this staff member and service, and that no confirmed
     * booking occupies it as far as the cached day knows. Throws {@code slot_unavailable} or {@code slot_booked}.
     * This is the hold's early answer, not its guarantee: a cached day may miss a booking committed a moment ago,
     * so the caller checks the database again once its lease is taken ({@link #requireNotBooked}), as the hold
     * workflow always has. Time the cached day shows booked is looked up in the database before it is refused, so
     * a day not yet dropped after a cancellation never refuses a free slot.
     *
     * @param moving the booking this time is for (a reschedule), whose own time does not count as booked; or null
     *               (then the database is asked here, as the cached day cannot tell that booking's time apart)
     */
    public BookableSlot requireBookable(long staffId, long serviceId, Instant start, UUID moving) {
        StaffMember staff = staffMember(staffId);
        ServiceOffering service = service(serviceId);
        if (!staff.offers(serviceId)) {
            throw SlotRefused.unavailable("Staff member " + staffId + " does not offer service " + serviceId);
        }
        LocalDate date = start.atZone(catalog.location(staff.locationId()).orElseThrow().timeZone()).toLocalDate();
        // The day as cached, or its schedule alone where a booking has dropped the day: loading the day again for
        // its bookings (three queries and a cache write) would only give an early answer that the caller's check
        // after its lease gives anyway (issue #13).
        StaffDays.DayOrSchedule known = staffDays.dayOrSchedule(staffId, date);
        if (known == null) {
            throw CatalogRefused.notFound("Staff member", staffId);
        }
        StaffSchedule schedule = known.schedule();
        Candidate candidate = startsOn(schedule, service, date).candidates().stream()
                .filter(c -> c.instant().equals(start))
                .findFirst()
                .orElseThrow(() -> unbookable(schedule, service, start));
        Occupancy occupancy = Occupancy.of(service, start);
        // The day's bookings are in the cached day already: the database is asked only when it shows this time
        // booked (to refuse on the database's word) or for a reschedule; a free slot costs no statement here
        // (issue #13: one statement less per hold), the caller's check after its lease being the one that counts.
        if (moving != null || (known.day() != null && bookedInDay(known.day(), occupancy))) {
            requireNotBooked(staffId, occupancy, moving);
        }
        return new BookableSlot(schedule, service, candidate, occupancy);
    }

    private static boolean bookedInDay(StaffDay day, Occupancy occupancy) {
        for (long granule : occupancy.granules()) {
            if (day.bookedAt(granule)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code start} is still bookable as far as time goes (not past, inside the booking window, outside the
     * minimum notice) by {@code schedule}'s location rules, now: the confirmation's re-check of what the hold passed.
     * Empty when it is; otherwise a sentence naming the rule, with the time in the location's offset.
     */
    public Optional<String> untimely(StaffSchedule schedule, Instant start) {
        BookingRules rules = schedule.location().rules();
        return BookableTimes.untimely(schedule, start, clock.instant()).map(rule -> WireTime.format(start,
                schedule.location().timeZone()) + " is now " + rule.description() + switch (rule) {
                    case BEYOND_BOOKING_WINDOW -> " (bookable up to " + rules.bookingWindowDays() + " days ahead)";
                    case INSIDE_MINIMUM_NOTICE -> " (bookable from " + rules.minNoticeMinutes() + " minutes ahead)";
                    default -> "";
                });
    }

    /** {@code slot_unavailable} naming the rule, with the time as the location's clock reads it. */
    private SlotRefused unbookable(StaffSchedule schedule, ServiceOffering service, Instant start) {
        Instant now = clock.instant();
        Unbookable rule = BookableTimes.refusal(schedule, service, start, now);
        BookingRules rules = schedule.location().rules();
        String why = switch (rule) {
            case BEYOND_BOOKING_WINDOW -> " (bookable up to " + rules.bookingWindowDays() + " days ahead)";
            case INSIDE_MINIMUM_NOTICE -> " (bookable from " + rules.minNoticeMinutes() + " minutes ahead)";
            case OFF_SLOT_GRID -> " (starts every " + schedule.location().slotIntervalMinutes()
                    + " minutes from the start of working hours)";
            default -> "";
        };
        return SlotRefused.unavailable(WireTime.format(start, schedule.location().timeZone())
                + " is " + rule.description() + why + ": staff member " + schedule.staff().id()
                + " cannot take service " + service.id() + " then");
    }

    /**
     * Throws {@code slot_booked} when a confirmed booking of the staff member occupies any of this time; the booking
     * being moved ({@code moving}, or null) does not count, as its reschedule frees its time in the same transaction.
     */
    public void requireNotBooked(long staffId, Occupancy occupancy, UUID moving) {
        long[] granules = occupancy.granules();
        long first = granules[0];
        long last = granules[granules.length - 1];
        Set<Long> taken = moving == null ? booked.between(staffId, first, last)
                : booked.betweenExcept(staffId, first, last, moving);
        if (!taken.isEmpty()) {
            throw SlotRefused.booked("That time is already booked");
        }
    }

    /** The local date of an instant in the staff member's location. */
    public LocalDate localDate(long staffId, Instant instant) {
        StaffMember staff = staffMember(staffId);
        return instant.atZone(catalog.location(staff.locationId()).orElseThrow().timeZone()).toLocalDate();
    }

    private StaffMember staffMember(long staffId) {
        return catalog.staffMember(staffId).orElseThrow(() -> CatalogRefused.notFound("Staff member", staffId));
    }

    private ServiceOffering service(long serviceId) {
        return catalog.service(serviceId).orElseThrow(() -> CatalogRefused.notFound("Service", serviceId));
    }

    /**
     * Confirmed bookings of a staff member changed in [from, to): the cached days whose window touches that time are
     * invalidated on every instance before this returns (read-your-writes for the booking's answer). The range is
     * the service time; the longest buffer on each side covers the buffers around it.
     */
    public void bookedTimeChanged(long staffId, Instant start, Instant end) {
        Instant from = start.minus(StaffDay.LONGEST_BUFFER);
        Instant to = end.plus(StaffDay.LONGEST_BUFFER);
        StaffMember staff = catalog.staffMember(staffId).orElse(null);
        if (staff == null) {
            return;
        }
        ZoneId zone = catalog.location(staff.locationId()).orElseThrow().timeZone();
        List<LocalDate> days = new ArrayList<>();
        LocalDate last = to.atZone(zone).toLocalDate().plusDays(1);
        for (LocalDate day = from.atZone(zone).toLocalDate().minusDays(2); !day.isAfter(last); day = day.plusDays(1)) {
            if (StaffDay.windowStart(day, zone).isBefore(to) && StaffDay.windowEnd(day, zone).isAfter(from)) {
                days.add(day);
            }
        }
        invalidation.bookingChanged(staffId, days);
    }

    private StaffDay staffDay(long staffId, LocalDate date) {
        StaffDay day = staffDays.of(staffId, date);
        if (day == null) {
            throw CatalogRefused.notFound("Staff member", staffId);
        }
        return day;
    }
}
