package io.holdfast.booking.web;

import java.nio.charset.StandardCharsets;

import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import io.holdfast.booking.BookingRefused;
import io.holdfast.booking.CalendarFeeds;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The staff calendar feed itself: no token header (calendar programs cannot send one), the secret is the path. */
@Tag(name = "Calendar feeds")
@RestController
@Validated
class CalendarFeedController {

    private static final MediaType CALENDAR = new MediaType("text", "calendar", StandardCharsets.UTF_8);

    private final CalendarFeeds feeds;

    CalendarFeedController(CalendarFeeds feeds) {
        this.feeds = feeds;
    }

    @Operation(summary = "A staff member's bookings as an iCalendar feed (RFC 5545)",
            description = "The URL comes from POST /api/v1/admin/staff/{id}/calendar-feed. A wrong or replaced "
                    + "secret answers 404 not_found, the same as an unknown staff member.")
    @ApiResponse(responseCode = "200", description = "The calendar",
            content = @Content(mediaType = "text/calendar"))
    @Refusals(ProblemCode.NOT_FOUND)
    @GetMapping("/api/v1/calendar-feeds/{staffId}/{secret}.ics")
    ResponseEntity<String> feed(@PathVariable @Positive long staffId, @PathVariable @Size(max = 100) String secret) {
        String ics = feeds.feed(staffId, secret).orElseThrow(BookingRefused::noFeed);
        // Personal data behind a secret URL: no shared cache may keep it.
        return ResponseEntity.ok().contentType(CALENDAR).cacheControl(CacheControl.noStore()).body(ics);
    }
}
