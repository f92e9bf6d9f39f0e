package io.holdfast.hold.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import io.holdfast.catalog.Catalog;
import io.holdfast.web.ClientIds;
import io.holdfast.hold.Holds;
import io.holdfast.availability.Selection;
import io.holdfast.web.ApiProblem;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.holdfast.web.WireTime;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Active selections: "someone is looking at this slot", a hint that lives 10 s unless renewed. */
@Tag(name = "Selections")
@RestController
@Validated
@RequestMapping("/api/v1/selections")
class SelectionController {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private final Holds holds;
    private final Catalog catalog;
    private final ZoneLookup zones;

    SelectionController(Holds holds, Catalog catalog, ZoneLookup zones) {
        this.holds = holds;
        this.catalog = catalog;
        this.zones = zones;
    }

    /** Either {@code date} and {@code time} (local) or {@code start} (an instant, unambiguous in the DST overlap). */
    record SelectionRequest(@NotNull @Positive Long staffId,
            @Schema(description = "The slot's local date, with `time`; or give `start` instead") LocalDate date,
            @Schema(description = "The slot's local time HH:mm, with `date`", example = "09:30")
            @Pattern(regexp = "\\d{2}:\\d{2}") String time,
            @Schema(description = "The slot's start as an instant with offset, instead of `date` and `time`; "
                    + "unambiguous in the autumn daylight-saving overlap", example = "2026-10-25T02:30:00+01:00")
            @Size(max = 64) String start,
            @NotNull @Pattern(regexp = ClientIds.PATTERN) String clientId) {
    }

    @Operation(summary = "Show others that this client is looking at a slot (lives 10 s unless renewed)")
    @Refusals({ProblemCode.NOT_FOUND, ProblemCode.RATE_LIMITED})
    @PutMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void select(@Valid @RequestBody SelectionRequest body, jakarta.servlet.http.HttpServletRequest request) {
        requireStaff(body.staffId());
        holds.select(selection(body), request.getRemoteAddr());
    }

    private Selection selection(SelectionRequest body) {
        if (body.start() != null) {
            if (body.date() != null || body.time() != null) {
                throw ApiProblem.invalid("Give either date and time, or start, not both");
            }
            Instant start = WireTime.parse("start", body.start());
            return Selection.of(body.staffId(), start.atZone(zones.of(body.staffId())), body.clientId());
        }
        if (body.date() == null || body.time() == null) {
            throw ApiProblem.invalid("date and time are required (or start, an instant with offset)");
        }
        LocalTime time;
        try {
            time = LocalTime.parse(body.time(), HH_MM);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid("time: '" + body.time() + "' is not a time of day HH:mm");
        }
        ZoneId zone = zones.of(body.staffId());
        LocalDateTime local = body.date().atTime(time);
        if (zone.getRules().getValidOffsets(local).isEmpty()) {
            // skipped by a spring-forward: no start has it, so it is kept by local time as given
            return new Selection(body.staffId(), body.date(), body.time(), body.clientId());
        }
        // an autumn-overlap time given by local time alone means its earlier start, as everywhere in the API
        return Selection.of(body.staffId(), ZonedDateTime.of(local, zone), body.clientId());
    }

    @Operation(summary = "Stop showing this client's selection on a day")
    @Refusals({ProblemCode.NOT_FOUND, ProblemCode.RATE_LIMITED})
    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unselect(@RequestParam @NotNull @Positive Long staffId,
            @RequestParam @NotNull @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
            @RequestParam @NotNull @Pattern(regexp = ClientIds.PATTERN) String clientId,
            jakarta.servlet.http.HttpServletRequest request) {
        requireStaff(staffId);
        holds.unselect(staffId, date, clientId, request.getRemoteAddr());
    }

    private void requireStaff(long staffId) {
        if (catalog.staffMember(staffId).isEmpty()) {
            throw ApiProblem.notFound("Staff member", staffId);
        }
    }
}
