package io.holdfast.booking.web;

import java.time.ZoneId;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.holdfast.booking.Booking;
import io.holdfast.booking.web.BookingRequests;
import io.holdfast.booking.Bookings;
import io.holdfast.web.EmailAddress;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Bookings")
@RestController
// Not @Validated: Spring MVC checks the constraints itself, the body's with the parameters' in one pass
// (HandlerMethodValidationException, which ProblemHandler answers with the same field names as a body's own
// MethodArgumentNotValidException). With the proxy, every body was validated twice, once by MVC and again by the
// proxy's method validation, on the hold and booking paths (issue #13).
@RequestMapping("/api/v1/bookings")
class BookingController {

    private final Bookings bookings;
    private final BookingRequests requests;
    private final BookingAccess access;

    BookingController(Bookings bookings, BookingRequests requests, BookingAccess access) {
        this.bookings = bookings;
        this.requests = requests;
        this.access = access;
    }

    record CustomerBody(@NotBlank @Size(max = 200) String name, @NotBlank @EmailAddress String email,
            @Size(max = 40) @Pattern(regexp = "[0-9+()./ -]*") String phone) {
    }

    record ConfirmBody(@NotNull UUID holdId, @NotBlank @Size(max = 2048) String holdToken,
            @NotNull @Valid CustomerBody customer, @Size(max = 2000) String notes) {
    }

    record RescheduleBody(@NotNull UUID holdId, @NotBlank @Size(max = 2048) String holdToken) {
    }

    @Operation(summary = "Confirm a hold into bookings", description = "Needs the guest session of the customer's "
            + "email unless holdfast.booking.require-verified-email is false.")
    @ApiResponse(responseCode = "201", description = "Booked", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = BookingRequests.Created.class)))
    @Refusals({ProblemCode.UNAUTHORIZED, ProblemCode.FORBIDDEN, ProblemCode.NOT_FOUND, ProblemCode.SLOT_BOOKED,
            ProblemCode.SLOT_UNAVAILABLE, ProblemCode.REQUEST_IN_PROGRESS, ProblemCode.HOLD_EXPIRED,
            ProblemCode.IDEMPOTENCY_KEY_REUSED})
    @PostMapping
    ResponseEntity<String> confirm(@RequestHeader("Idempotency-Key") @Size(min = 1, max = 200) String idempotencyKey,
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @Valid @RequestBody ConfirmBody body) {
        var customer = new Booking.Customer(body.customer().name().trim(), body.customer().email().trim(),
                body.customer().phone());
        var answer = requests.confirmOnce(idempotencyKey, body, authorization, body.holdId(), body.holdToken(),
                customer, body.notes());
        return ResponseEntity.status(answer.status())
                .contentType(answer.status() >= 400 ? MediaType.APPLICATION_PROBLEM_JSON : MediaType.APPLICATION_JSON)
                .body(answer.body());
    }

    @Operation(summary = "Read a booking")
    @Refusals({ProblemCode.UNAUTHORIZED, ProblemCode.FORBIDDEN})
    @GetMapping("/{id}")
    BookingRequests.BookingView get(@PathVariable UUID id,
            @RequestHeader(value = "Manage-Token", required = false) @Size(max = 2048) String manageToken,
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        Booking booking = bookings.find(id, access(manageToken, authorization));
        return BookingRequests.BookingView.of(booking, bookings.zoneOf(booking.staffId()), null);
    }

    @Operation(summary = "Cancel a booking (up to the location's cut-off before it starts)")
    @Refusals({ProblemCode.UNAUTHORIZED, ProblemCode.FORBIDDEN, ProblemCode.TOO_LATE})
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void cancel(@PathVariable UUID id,
            @RequestHeader(value = "Manage-Token", required = false) @Size(max = 2048) String manageToken,
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        bookings.cancel(id, access(manageToken, authorization));
    }

    @Operation(summary = "Move a booking to the time of a new hold (the old time is freed in the same transaction)")
    @Refusals({ProblemCode.UNAUTHORIZED, ProblemCode.FORBIDDEN, ProblemCode.TOO_LATE, ProblemCode.SLOT_BOOKED,
            ProblemCode.SLOT_UNAVAILABLE, ProblemCode.HOLD_EXPIRED})
    @PostMapping("/{id}/reschedule")
    BookingRequests.BookingView reschedule(@PathVariable UUID id,
            @RequestHeader(value = "Manage-Token", required = false) @Size(max = 2048) String manageToken,
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @Valid @RequestBody RescheduleBody body) {
        Booking booking = bookings.reschedule(id, access(manageToken, authorization), body.holdId(), body.holdToken());
        ZoneId zone = bookings.zoneOf(booking.staffId());
        return BookingRequests.BookingView.of(booking, zone, null);
    }

    private Bookings.Access access(String manageToken, String authorization) {
        return access.of(manageToken, authorization);
    }

}
