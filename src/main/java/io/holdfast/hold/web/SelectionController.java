package io.holdfast.hold.web;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import io.holdfast.catalog.Catalog;
import io.holdfast.hold.ClientIds;
import io.holdfast.hold.Holds;
import io.holdfast.hold.Selection;
import io.holdfast.web.ApiProblem;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
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

    SelectionController(Holds holds, Catalog catalog) {
        this.holds = holds;
        this.catalog = catalog;
    }

    record SelectionRequest(@NotNull @Positive Long staffId, @NotNull LocalDate date,
            @NotNull @Pattern(regexp = "\\d{2}:\\d{2}") String time,
            @NotNull @Pattern(regexp = ClientIds.PATTERN) String clientId) {
    }

    @Operation(summary = "Show others that this client is looking at a slot (lives 10 s unless renewed)")
    @Refusals(ProblemCode.NOT_FOUND)
    @PutMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void select(@Valid @RequestBody SelectionRequest body) {
        try {
            LocalTime.parse(body.time(), HH_MM);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid("time: '" + body.time() + "' is not a time of day HH:mm");
        }
        requireStaff(body.staffId());
        holds.select(new Selection(body.staffId(), body.date(), body.time(), body.clientId()));
    }

    @Operation(summary = "Stop showing this client's selection on a day")
    @Refusals(ProblemCode.NOT_FOUND)
    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unselect(@RequestParam @NotNull @Positive Long staffId,
            @RequestParam @NotNull @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
            @RequestParam @NotNull @Pattern(regexp = ClientIds.PATTERN) String clientId) {
        requireStaff(staffId);
        holds.unselect(staffId, date, clientId);
    }

    private void requireStaff(long staffId) {
        if (catalog.staffMember(staffId).isEmpty()) {
            throw ApiProblem.notFound("Staff member", staffId);
        }
    }
}
