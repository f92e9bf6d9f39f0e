package io.holdfast.booking.web;

import jakarta.validation.constraints.Positive;

import io.holdfast.booking.CalendarFeeds;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Calendar feeds")
@RestController
@Validated
class AdminCalendarFeedController {

    private final CalendarFeeds feeds;

    AdminCalendarFeedController(CalendarFeeds feeds) {
        this.feeds = feeds;
    }

    record FeedView(String url) {
    }

    @Operation(summary = "Create a staff member's calendar feed, or replace its secret",
            description = "Answers the secret-bearing URL to subscribe to in a calendar program; posting again "
                    + "replaces the secret, and the previous URL answers 404 from then on.")
    @Refusals(ProblemCode.NOT_FOUND)
    @PostMapping("/api/v1/admin/staff/{id}/calendar-feed")
    @ResponseStatus(HttpStatus.CREATED)
    FeedView create(@PathVariable @Positive long id) {
        return new FeedView(feeds.create(id));
    }
}
