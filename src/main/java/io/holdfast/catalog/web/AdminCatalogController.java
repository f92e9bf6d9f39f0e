package io.holdfast.catalog.web;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import io.holdfast.catalog.Granules;
import io.holdfast.catalog.BookingRules;
import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.CatalogChanges;
import io.holdfast.catalog.Location;
import io.holdfast.catalog.ServiceOffering;
import io.holdfast.catalog.StaffMember;
import io.holdfast.catalog.TimeOff;
import io.holdfast.catalog.WorkingWindow;
import io.holdfast.web.ApiProblem;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.holdfast.web.WireTime;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Catalogue administration (admin token required, see AdminAccess). */
@RestController
@Validated
@RequestMapping("/api/v1/admin")
class AdminCatalogController {

    private static final java.time.format.DateTimeFormatter HH_MM = java.time.format.DateTimeFormatter.ofPattern("HH:mm");

    private final Catalog catalog;
    private final CatalogChanges changes;

    AdminCatalogController(Catalog catalog, CatalogChanges changes) {
        this.catalog = catalog;
        this.changes = changes;
    }

    record NewLocation(@NotBlank @Size(max = 200) String name, @NotBlank @Size(max = 64) String timeZone,
            @NotNull @Min(5) @Max(240) Integer slotIntervalMinutes,
            @PositiveOrZero @Max(525_600) Integer minNoticeMinutes,
            @Min(1) @Max(730) Integer bookingWindowDays,
            @PositiveOrZero @Max(525_600) Integer cancelCutoffMinutes) {
    }

    record Rules(@NotNull @PositiveOrZero @Max(525_600) Integer minNoticeMinutes,
            @NotNull @Min(1) @Max(730) Integer bookingWindowDays,
            @NotNull @PositiveOrZero @Max(525_600) Integer cancelCutoffMinutes) {
    }

    record NewService(@NotBlank @Size(max = 200) String name, @NotNull @Min(5) @Max(1440) Integer durationMinutes,
            @PositiveOrZero @Max(240) Integer bufferBeforeMinutes, @PositiveOrZero @Max(240) Integer bufferAfterMinutes,
            @NotNull @PositiveOrZero @Max(100_000_000_00L) Long priceCents) {
    }

    record NewStaff(@NotBlank @Size(max = 200) String name, @NotNull @Positive Long locationId,
            @NotNull @Size(max = 200) List<@NotNull @Positive Long> serviceIds) {
    }

    record Window(@NotNull DayOfWeek dayOfWeek, @NotNull LocalTime start, @NotNull LocalTime end) {
    }

    /** A working window as API.md writes it: local times {@code HH:mm}. */
    record WindowView(DayOfWeek dayOfWeek, String start, String end) {

        static WindowView of(WorkingWindow window) {
            return new WindowView(window.dayOfWeek(), HH_MM.format(window.start()), HH_MM.format(window.end()));
        }
    }

    /**
     * A new week of working hours: API.md's array of windows, or an object whose {@code cancelAffected} says to cancel
     * the bookings the new hours leave out (as time off's body does).
     */
    record WorkingHoursChange(@NotNull @Size(max = 100) List<@Valid @NotNull Window> windows, Boolean cancelAffected) {

        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        WorkingHoursChange(@JsonProperty("windows") List<Window> windows,
                @JsonProperty("cancelAffected") Boolean cancelAffected) {
            // No default: an object without windows must not read as "no working hours at all".
            this.windows = windows;
            this.cancelAffected = cancelAffected;
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static WorkingHoursChange of(List<Window> windows) {
            return new WorkingHoursChange(windows, null);
        }
    }

    record NewTimeOff(@NotBlank String start, @NotBlank String end, @Size(max = 500) String reason,
            Boolean cancelAffected) {
    }

    /** PATCH bodies: only the fields sent change. */
    record LocationChange(@Size(min = 1, max = 200) String name, @Size(min = 1, max = 64) String timeZone,
            @Min(5) @Max(240) Integer slotIntervalMinutes, @PositiveOrZero @Max(525_600) Integer minNoticeMinutes,
            @Min(1) @Max(730) Integer bookingWindowDays, @PositiveOrZero @Max(525_600) Integer cancelCutoffMinutes,
            Boolean cancelAffected) {
    }

    record ServiceChange(@Size(min = 1, max = 200) String name, @Min(5) @Max(1440) Integer durationMinutes,
            @PositiveOrZero @Max(240) Integer bufferBeforeMinutes, @PositiveOrZero @Max(240) Integer bufferAfterMinutes,
            @PositiveOrZero @Max(100_000_000_00L) Long priceCents) {
    }

    record StaffChange(@Size(min = 1, max = 200) String name, @Positive Long locationId,
            @Size(max = 200) List<@NotNull @Positive Long> serviceIds, Boolean cancelAffected) {
    }

    record TimeOffView(long id, long staffId, String start, String end, String reason) {
    }

    @Operation(summary = "Create a location (booking rules default when left out)")
    @PostMapping("/locations")
    @ResponseStatus(HttpStatus.CREATED)
    CatalogController.LocationView createLocation(@Valid @RequestBody NewLocation body) {
        ZoneId zone = zone(body.timeZone());
        requireGranular("slotIntervalMinutes", body.slotIntervalMinutes());
        BookingRules defaults = BookingRules.DEFAULTS;
        BookingRules rules = new BookingRules(
                orDefault(body.minNoticeMinutes(), defaults.minNoticeMinutes()),
                orDefault(body.bookingWindowDays(), defaults.bookingWindowDays()),
                orDefault(body.cancelCutoffMinutes(), defaults.cancelCutoffMinutes()));
        return CatalogController.LocationView.of(
                catalog.createLocation(body.name().trim(), zone, body.slotIntervalMinutes(), rules));
    }

    @Operation(summary = "List the locations (deleted ones are not listed)")
    @GetMapping("/locations")
    List<CatalogController.LocationView> locations() {
        return catalog.locations().stream().map(CatalogController.LocationView::of).toList();
    }

    @Operation(summary = "Read a location")
    @GetMapping("/locations/{id}")
    CatalogController.LocationView location(@PathVariable @Positive long id) {
        return CatalogController.LocationView.of(activeLocation(id));
    }

    @Operation(summary = "Change a location (only the fields sent); a new time zone with future bookings is "
            + "bookings_affected unless cancelAffected is true")
    @PatchMapping("/locations/{id}")
    @Refusals(ProblemCode.BOOKINGS_AFFECTED)
    CatalogController.LocationView updateLocation(@PathVariable @Positive long id,
            @Valid @RequestBody LocationChange body) {
        if (body.slotIntervalMinutes() != null) {
            requireGranular("slotIntervalMinutes", body.slotIntervalMinutes());
        }
        return CatalogController.LocationView.of(changes.updateLocation(id, new CatalogChanges.LocationPatch(
                trimmed(body.name()), body.timeZone() == null ? null : zone(body.timeZone()),
                body.slotIntervalMinutes(), body.minNoticeMinutes(), body.bookingWindowDays(),
                body.cancelCutoffMinutes()), Boolean.TRUE.equals(body.cancelAffected())));
    }

    @Operation(summary = "Delete a location and its staff (kept for past bookings' history); in_use while they "
            + "have future confirmed bookings")
    @DeleteMapping("/locations/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Refusals(ProblemCode.IN_USE)
    void deleteLocation(@PathVariable @Positive long id) {
        changes.deleteLocation(id);
    }

    @Operation(summary = "Read a location's booking rules")
    @GetMapping("/locations/{id}/rules")
    Rules rules(@PathVariable @Positive long id) {
        BookingRules rules = activeLocation(id).rules();
        return new Rules(rules.minNoticeMinutes(), rules.bookingWindowDays(), rules.cancelCutoffMinutes());
    }

    @Operation(summary = "Set a location's booking rules")
    @PutMapping("/locations/{id}/rules")
    CatalogController.LocationView updateRules(@PathVariable @Positive long id, @Valid @RequestBody Rules body) {
        return CatalogController.LocationView.of(changes.updateRules(id,
                new BookingRules(body.minNoticeMinutes(), body.bookingWindowDays(), body.cancelCutoffMinutes())));
    }

    @Operation(summary = "List the services (deleted ones are not listed)")
    @GetMapping("/services")
    List<ServiceOffering> services() {
        return catalog.services();
    }

    @Operation(summary = "Read a service")
    @GetMapping("/services/{id}")
    ServiceOffering service(@PathVariable @Positive long id) {
        return catalog.services().stream().filter(service -> service.id() == id).findFirst()
                .orElseThrow(() -> ApiProblem.notFound("Service", id));
    }

    @Operation(summary = "Change a service (only the fields sent); bookings made keep their time and price")
    @PatchMapping("/services/{id}")
    ServiceOffering updateService(@PathVariable @Positive long id, @Valid @RequestBody ServiceChange body) {
        for (var field : java.util.Map.of("durationMinutes", java.util.Optional.ofNullable(body.durationMinutes()),
                "bufferBeforeMinutes", java.util.Optional.ofNullable(body.bufferBeforeMinutes()),
                "bufferAfterMinutes", java.util.Optional.ofNullable(body.bufferAfterMinutes())).entrySet()) {
            field.getValue().ifPresent(minutes -> requireGranular(field.getKey(), minutes));
        }
        return changes.updateService(id, new CatalogChanges.ServicePatch(trimmed(body.name()), body.durationMinutes(),
                body.bufferBeforeMinutes(), body.bufferAfterMinutes(), body.priceCents()));
    }

    @Operation(summary = "Delete a service (kept for past bookings' history); in_use while it has future "
            + "confirmed bookings")
    @DeleteMapping("/services/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Refusals(ProblemCode.IN_USE)
    void deleteService(@PathVariable @Positive long id) {
        changes.deleteService(id);
    }

    @Operation(summary = "Create a service")
    @PostMapping("/services")
    @ResponseStatus(HttpStatus.CREATED)
    ServiceOffering createService(@Valid @RequestBody NewService body) {
        int before = orDefault(body.bufferBeforeMinutes(), 0);
        int after = orDefault(body.bufferAfterMinutes(), 0);
        requireGranular("durationMinutes", body.durationMinutes());
        requireGranular("bufferBeforeMinutes", before);
        requireGranular("bufferAfterMinutes", after);
        return catalog.createService(body.name().trim(), body.durationMinutes(), before, after, body.priceCents());
    }

    @Operation(summary = "Create a staff member")
    @PostMapping("/staff")
    @ResponseStatus(HttpStatus.CREATED)
    StaffMember createStaff(@Valid @RequestBody NewStaff body) {
        return catalog.createStaff(body.name().trim(), body.locationId(), body.serviceIds());
    }

    @Operation(summary = "List the staff (deleted ones are not listed)")
    @GetMapping("/staff")
    List<StaffMember> staff() {
        return catalog.staff(null);
    }

    @Operation(summary = "Read a staff member")
    @GetMapping("/staff/{id}")
    StaffMember staffMember(@PathVariable @Positive long id) {
        return activeStaff(id);
    }

    @Operation(summary = "Change a staff member (only the fields sent); a new location with future bookings is "
            + "bookings_affected unless cancelAffected is true")
    @PatchMapping("/staff/{id}")
    @Refusals(ProblemCode.BOOKINGS_AFFECTED)
    StaffMember updateStaff(@PathVariable @Positive long id, @Valid @RequestBody StaffChange body) {
        return changes.updateStaff(id, new CatalogChanges.StaffPatch(trimmed(body.name()), body.locationId(),
                body.serviceIds()), Boolean.TRUE.equals(body.cancelAffected()));
    }

    @Operation(summary = "Delete a staff member (kept for past bookings' history); in_use while they have future "
            + "confirmed bookings")
    @DeleteMapping("/staff/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Refusals(ProblemCode.IN_USE)
    void deleteStaff(@PathVariable @Positive long id) {
        changes.deleteStaff(id);
    }

    @Operation(summary = "Read a staff member's weekly working hours")
    @GetMapping("/staff/{id}/working-hours")
    List<WindowView> workingHours(@PathVariable @Positive long id) {
        activeStaff(id);
        return catalog.workingHours(id).stream().map(WindowView::of).toList();
    }

    @Operation(summary = "Replace a staff member's weekly working hours (gaps are breaks); hours that leave out "
            + "future confirmed bookings are bookings_affected unless the body {windows, cancelAffected: true} "
            + "(or ?cancelAffected=true) says to cancel them")
    @PutMapping("/staff/{id}/working-hours")
    @Refusals(ProblemCode.BOOKINGS_AFFECTED)
    List<WindowView> replaceWorkingHours(@PathVariable @Positive long id,
            @RequestParam(defaultValue = "false") boolean cancelAffected,
            @RequestBody @Valid WorkingHoursChange body) {
        List<WorkingWindow> windows = body.windows().stream().map(window -> {
            if (!window.start().isBefore(window.end())) {
                throw ApiProblem.invalid("Working window " + window.dayOfWeek() + " " + window.start() + "-"
                        + window.end() + " must end after it starts");
            }
            if (window.start().getMinute() % Granules.MINUTES != 0 || window.end().getMinute() % Granules.MINUTES != 0
                    || window.start().getSecond() != 0 || window.end().getSecond() != 0) {
                throw ApiProblem.invalid("Working hours must be on a " + Granules.MINUTES + "-minute grid");
            }
            return new WorkingWindow(window.dayOfWeek(), window.start(), window.end());
        }).toList();
        return changes.replaceWorkingHours(id, windows, cancelAffected || Boolean.TRUE.equals(body.cancelAffected()))
                .stream().map(WindowView::of).toList();
    }

    @Operation(summary = "List a staff member's time off")
    @GetMapping("/staff/{id}/time-off")
    List<TimeOffView> timeOff(@PathVariable @Positive long id) {
        ZoneId zone = activeLocation(activeStaff(id).locationId()).timeZone();
        return catalog.timeOff(id).stream().map(off -> new TimeOffView(off.id(), off.staffId(),
                WireTime.format(off.start(), zone), WireTime.format(off.end(), zone), off.reason())).toList();
    }

    @Operation(summary = "Delete time off (its time is bookable again)")
    @DeleteMapping("/staff/{id}/time-off/{timeOffId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteTimeOff(@PathVariable @Positive long id, @PathVariable @Positive long timeOffId) {
        changes.deleteTimeOff(id, timeOffId);
    }

    @Operation(summary = "Add time off to a staff member; over future confirmed bookings it is bookings_affected "
            + "unless cancelAffected is true")
    @PostMapping("/staff/{id}/time-off")
    @ResponseStatus(HttpStatus.CREATED)
    @Refusals(ProblemCode.BOOKINGS_AFFECTED)
    TimeOffView addTimeOff(@PathVariable @Positive long id, @Valid @RequestBody NewTimeOff body) {
        var start = WireTime.parse("start", body.start());
        var end = WireTime.parse("end", body.end());
        if (!start.isBefore(end)) {
            throw ApiProblem.invalid("end: must be after start");
        }
        TimeOff off = changes.addTimeOff(id, start, end, body.reason(), Boolean.TRUE.equals(body.cancelAffected()));
        return new TimeOffView(off.id(), off.staffId(), body.start(), body.end(), off.reason());
    }

    private Location activeLocation(long id) {
        return catalog.locations().stream().filter(location -> location.id() == id).findFirst()
                .orElseThrow(() -> ApiProblem.notFound("Location", id));
    }

    private StaffMember activeStaff(long id) {
        return catalog.staff(null).stream().filter(member -> member.id() == id).findFirst()
                .orElseThrow(() -> ApiProblem.notFound("Staff member", id));
    }

    private static ZoneId zone(String timeZone) {
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw ApiProblem.invalid("timeZone: '" + timeZone + "' is not an IANA time zone like Europe/Berlin");
        }
    }

    private static String trimmed(String name) {
        if (name != null && name.isBlank()) {
            throw ApiProblem.invalid("name: must not be blank");
        }
        return name == null ? null : name.trim();
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static void requireGranular(String field, int minutes) {
        if (!Granules.aligned(minutes)) {
            throw ApiProblem.invalid(field + ": must be a multiple of " + Granules.MINUTES + " minutes");
        }
    }
}
