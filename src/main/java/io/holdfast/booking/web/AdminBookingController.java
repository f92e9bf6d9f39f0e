package io.holdfast.booking.web;

import java.time.LocalDate;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import io.holdfast.booking.web.BookingRequests;
import io.holdfast.booking.Bookings;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
class AdminBookingController {

    private final Bookings bookings;

    AdminBookingController(Bookings bookings) {
        this.bookings = bookings;
    }

    @Operation(summary = "A day's bookings, of one staff member or all")
    @GetMapping("/api/v1/admin/bookings")
    List<BookingRequests.BookingView> day(
            @RequestParam @NotNull @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
            @RequestParam(required = false) @Positive Long staffId) {
        return bookings.onDay(date, staffId).stream()
                .map(booking -> BookingRequests.BookingView.of(booking, bookings.zoneOf(booking.staffId()), null))
                .toList();
    }
}
