package io.holdfast.live.web;

import java.io.IOException;
import java.time.LocalDate;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import io.holdfast.web.ClientIds;
import io.holdfast.live.web.LiveView;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The heartbeat poll (seed: WordPress Heartbeat) and the push stream of one staff member's day. */
@Tag(name = "Live")
// Not @Validated: Spring MVC checks the parameters' constraints itself (HandlerMethodValidationException, which
// ProblemHandler answers like the proxy's violations). The method-validation proxy cost this hot read path a tenth
// of its CPU on top of the checks (the proxy, validation groups, a return value without constraints; issue #13).
@RestController
@RequestMapping("/api/v1/live")
class LiveController {

    private final LiveView live;

    LiveController(LiveView live) {
        this.live = live;
    }

    @Operation(summary = "What changed on a staff member's day since a version (cheap when nothing did)")
    @Refusals(ProblemCode.NOT_FOUND)
    @GetMapping("/poll")
    LiveView.Poll poll(@RequestParam @NotNull @Positive Long staffId,
            @RequestParam @NotNull @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
            @RequestParam(required = false) @Pattern(regexp = ClientIds.PATTERN) String clientId,
            @RequestParam(required = false) @PositiveOrZero Long since) {
        return live.poll(staffId, date, clientId == null ? "" : clientId, since);
    }

    @Operation(summary = "Server-sent events of a staff member's day", description = "Event `slot`: `{type, staffId, "
            + "date, times, starts, version, previousVersion}` (`starts`: the same slots as instants with offset); event `mode` when the storage mode changes; a comment line at "
            + "least every 15 s.")
    @ApiResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = "text/event-stream", schema = @Schema(type = "string")))
    @Refusals({ProblemCode.NOT_FOUND, ProblemCode.RATE_LIMITED})
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    void stream(@RequestParam @NotNull @Positive Long staffId,
            @RequestParam @NotNull @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        live.stream(staffId, date, request, response);
    }

}
