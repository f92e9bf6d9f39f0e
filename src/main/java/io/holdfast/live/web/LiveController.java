package io.holdfast.live.web;

import java.time.LocalDate;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import io.holdfast.hold.ClientIds;
import io.holdfast.live.LiveView;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The heartbeat poll (seed: WordPress Heartbeat) and the push stream of one staff member's day. */
@RestController
@Validated
@RequestMapping("/api/v1/live")
class LiveController {

    private final LiveView live;

    LiveController(LiveView live) {
        this.live = live;
    }

    @GetMapping("/poll")
    LiveView.Poll poll(@RequestParam @NotNull @Positive Long staffId,
            @RequestParam @NotNull @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
            @RequestParam(required = false) @Pattern(regexp = ClientIds.PATTERN) String clientId,
            @RequestParam(required = false) @PositiveOrZero Long since) {
        return live.poll(staffId, date, clientId == null ? "" : clientId, since);
    }

    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(@RequestParam @NotNull @Positive Long staffId,
            @RequestParam @NotNull @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
            HttpServletRequest request) {
        return live.stream(staffId, date, request.getRemoteAddr());
    }

}
