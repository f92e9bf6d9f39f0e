package io.holdfast.catalog.web;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import io.holdfast.availability.Granules;
import io.holdfast.catalog.BookingRules;
import io.holdfast.catalog.Catalog;
import io.holdfast.catalog.ServiceOffering;
import io.holdfast.catalog.StaffMember;
import io.holdfast.catalog.TimeOff;
import io.holdfast.catalog.WorkingWindow;
import io.holdfast.live.LiveUpdates;
import io.holdfast.web.ApiProblem;
import io.holdfast.web.WireTime;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Catalogue administration (admin token required, see AdminAccess). */
@RestController
@Validated
@RequestMapping("/api/v1/admin")
class AdminCatalogController {

    private final Catalog catalog;
    private final LiveUpdates live;

    AdminCatalogController(Catalog catalog, LiveUpdates live) {
        this.catalog = catalog;
        this.live = live;
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

    record NewTimeOff(@NotBlank String start, @NotBlank String end, @Size(max = 500) String reason) {
    }

    record TimeOffView(long id, long staffId, String start, String end, String reason) {
    }

    @Operation(summary = "Create a location (booking rules default when left out)")
    @PostMapping("/locations")
    @ResponseStatus(HttpStatus.CREATED)
    CatalogController.LocationView createLocation(@Valid @RequestBody NewLocation body) {
        ZoneId zone;
        try {
            zone = ZoneId.of(body.timeZone());
        } catch (DateTimeException e) {
            throw ApiProblem.invalid("timeZone: '" + body.timeZone() + "' is not an IANA time zone like Europe/Berlin");
        }
        requireGranular("slotIntervalMinutes", body.slotIntervalMinutes());
        BookingRules defaults = BookingRules.DEFAULTS;
        BookingRules rules = new BookingRules(
                orDefault(body.minNoticeMinutes(), defaults.minNoticeMinutes()),
                orDefault(body.bookingWindowDays(), defaults.bookingWindowDays()),
                orDefault(body.cancelCutoffMinutes(), defaults.cancelCutoffMinutes()));
        return CatalogController.LocationView.of(
                catalog.createLocation(body.name().trim(), zone, body.slotIntervalMinutes(), rules));
    }

    @Operation(summary = "Set a location's booking rules")
    @PutMapping("/locations/{id}/rules")
    CatalogController.LocationView updateRules(@PathVariable @Positive long id, @Valid @RequestBody Rules body) {
        return CatalogController.LocationView.of(catalog.updateRules(id,
                new BookingRules(body.minNoticeMinutes(), body.bookingWindowDays(), body.cancelCutoffMinutes())));
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

    @Operation(summary = "Replace a staff member's weekly working hours (gaps are breaks)")
    @PutMapping("/staff/{id}/working-hours")
    List<WorkingWindow> workingHours(@PathVariable @Positive long id,
            @RequestBody @Size(max = 100) List<@Valid @NotNull Window> body) {
        List<WorkingWindow> windows = body.stream().map(window -> {
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
        List<WorkingWindow> replaced = catalog.replaceWorkingHours(id, windows);
        live.scheduleChanged(id);
        return replaced;
    }

    @Operation(summary = "Add time off to a staff member")
    @PostMapping("/staff/{id}/time-off")
    @ResponseStatus(HttpStatus.CREATED)
    TimeOffView timeOff(@PathVariable @Positive long id, @Valid @RequestBody NewTimeOff body) {
        var start = WireTime.parse("start", body.start());
        var end = WireTime.parse("end", body.end());
        if (!start.isBefore(end)) {
            throw ApiProblem.invalid("end: must be after start");
        }
        TimeOff off = catalog.addTimeOff(id, start, end, body.reason());
        live.scheduleChanged(id);
        return new TimeOffView(off.id(), off.staffId(), body.start(), body.end(), off.reason());
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
