package io.holdfast.availability.web;

import java.time.LocalDate;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.holdfast.availability.Availability;
import io.holdfast.availability.DaySlots;
import io.holdfast.web.ClientIds;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.holdfast.web.WireTime;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Availability")
// Not @Validated: Spring MVC checks the parameters' constraints itself (HandlerMethodValidationException, which
// ProblemHandler answers like the proxy's violations). The method-validation proxy cost this hot read path a tenth
// of its CPU on top of the checks (the proxy, validation groups, a return value without constraints; issue #13).
@RestController
class AvailabilityController {

    private final Availability availability;

    AvailabilityController(Availability availability) {
        this.availability = availability;
    }

    record SlotView(String time, String start, String state) {
    }

    /** {@code reason} only on a day that has no bookable time at all by rule: past, or beyond the booking window. */
    record DayView(long staffId, long serviceId, LocalDate date, String timeZone, long version, String storageMode,
            List<SlotView> slots, @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {
    }

    @Operation(summary = "Bookable start times of a staff member's day for a service, with their live state")
    @Refusals(ProblemCode.NOT_FOUND)
    @GetMapping("/api/v1/availability")
    DayView availability(@RequestParam @NotNull @Positive Long staffId, @RequestParam @NotNull @Positive Long serviceId,
            @RequestParam @NotNull @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
            @RequestParam(required = false) @Pattern(regexp = ClientIds.PATTERN) String clientId) {
        return view(availability.day(staffId, serviceId, date, clientId == null ? "" : clientId));
    }

    /** The answer's body: {@link AvailabilityAnswer} gives the same at the edge. */
    static DayView view(DaySlots day) {
        return new DayView(day.staffId(), day.serviceId(), day.date(), day.timeZone().getId(), day.version(),
                day.storageMode(), day.slots().stream()
                        .map(slot -> new SlotView(slot.candidate().time().toString(),
                                WireTime.format(slot.candidate().start()), slot.state().wire()))
                        .toList(),
                day.closed() == null ? null : day.closed().wire());
    }
}
