package io.holdfast.hold.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import io.holdfast.web.ClientIds;
import io.holdfast.hold.HoldItem;
import io.holdfast.hold.Holds;
import io.holdfast.hold.SlotHold;
import io.holdfast.web.ApiProblem;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.holdfast.web.WireTime;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Holds")
@RestController
// Not @Validated: Spring MVC checks the constraints itself, the body's with the parameters' in one pass
// (HandlerMethodValidationException, which ProblemHandler answers with the same field names as a body's own
// MethodArgumentNotValidException). With the proxy, every body was validated twice, once by MVC and again by the
// proxy's method validation, on the hold and booking paths (issue #13).
@RequestMapping("/api/v1/holds")
class HoldController {

    private final Holds holds;
    private final ZoneLookup zones;
    private final ReschedulingAccess rescheduling;

    HoldController(Holds holds, ZoneLookup zones, ReschedulingAccess rescheduling) {
        this.holds = holds;
        this.zones = zones;
        this.rescheduling = rescheduling;
    }

    record Item(@NotNull @Positive Long staffId, @NotNull @Positive Long serviceId, @NotBlank @Size(max = 64) String start) {
    }

    /** The booking a hold is the new time for, with the booking's manage token (or the session in Authorization). */
    record Rescheduling(@NotNull UUID bookingId, @Size(max = 2048) String manageToken) {
    }

    /** Either one item inline ({@code staffId, serviceId, start}) or an atomic batch in {@code items}. */
    record HoldRequest(@NotNull @Pattern(regexp = ClientIds.PATTERN) String clientId, @Positive Long staffId,
            @Positive Long serviceId, @Size(max = 64) String start, @Size(min = 1, max = 10) List<@Valid @NotNull Item> items,
            @Schema(description = "Set when the hold is the new time of a booking being rescheduled: it may overlap "
                    + "that booking's own current time, never anyone else's booking or hold. Needs the booking's "
                    + "manageToken, or its customer's session in Authorization: Bearer.")
            @Valid Rescheduling rescheduling) {

        List<Item> requested() {
            boolean single = staffId != null || serviceId != null || start != null;
            if (single && items != null) {
                throw ApiProblem.invalid("Give either staffId, serviceId and start, or items, not both");
            }
            if (items != null) {
                return items;
            }
            if (staffId == null || serviceId == null || start == null) {
                throw ApiProblem.invalid("staffId, serviceId and start are required (or items for a batch)");
            }
            return List.of(new Item(staffId, serviceId, start));
        }
    }

    record ItemView(long staffId, long serviceId, String start, String end) {
    }

    record HoldView(UUID holdId, String token, String expiresAt, List<ItemView> items) {
    }

    record Extended(UUID holdId, String expiresAt) {
    }

    @Operation(summary = "Hold one slot, or several at once (all or none)")
    @ApiResponse(responseCode = "201", description = "Held")
    @ApiResponse(responseCode = "200", description = "The same hold: a retry with the same Idempotency-Key, clientId "
            + "and items while it lives")
    @Refusals({ProblemCode.UNAUTHORIZED, ProblemCode.FORBIDDEN, ProblemCode.NOT_FOUND, ProblemCode.SLOT_UNAVAILABLE,
            ProblemCode.SLOT_HELD, ProblemCode.SLOT_BOOKED, ProblemCode.HOLD_LIMIT_REACHED, ProblemCode.RATE_LIMITED})
    @PostMapping
    ResponseEntity<HoldView> hold(@Valid @RequestBody HoldRequest body,
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @io.swagger.v3.oas.annotations.Parameter(description = "Optional: a retry with the same key, clientId and "
                    + "items while the hold lives answers 200 with the same hold; without it, time the client holds "
                    + "already is 409 slot_held")
            @RequestHeader(value = "Idempotency-Key", required = false) @Size(min = 1, max = 200) String idempotencyKey,
            jakarta.servlet.http.HttpServletRequest request) {
        List<Item> items = body.requested();
        List<Holds.Request> requests = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            Instant start = WireTime.parse(body.items() == null ? "start" : "items[" + i + "].start", item.start());
            requests.add(new Holds.Request(item.staffId(), item.serviceId(), start));
        }
        UUID moving = null;
        if (body.rescheduling() != null) {
            moving = body.rescheduling().bookingId();
            rescheduling.requireMayMove(moving, body.rescheduling().manageToken(), authorization);
        }
        Holds.Granted granted = holds.place(body.clientId(), request.getRemoteAddr(), requests, moving, idempotencyKey);
        return ResponseEntity.status(granted.created() ? HttpStatus.CREATED : HttpStatus.OK).body(view(granted.hold()));
    }

    @Operation(summary = "Extend a hold by its full lease")
    @Refusals({ProblemCode.FORBIDDEN, ProblemCode.HOLD_EXPIRED})
    @PatchMapping("/{holdId}")
    Extended extend(@PathVariable UUID holdId, @RequestHeader("Hold-Token") @Size(max = 2048) String token) {
        Instant expiresAt = holds.extend(holdId, token);
        return new Extended(holdId, WireTime.format(expiresAt, java.time.ZoneOffset.UTC));
    }

    @Operation(summary = "Release a hold")
    @Refusals(ProblemCode.FORBIDDEN)
    @DeleteMapping("/{holdId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void release(@PathVariable UUID holdId, @RequestHeader("Hold-Token") @Size(max = 2048) String token) {
        holds.release(holdId, token);
    }

    private HoldView view(SlotHold hold) {
        List<ItemView> items = hold.items().stream().map(this::view).toList();
        return new HoldView(hold.id(), hold.token(), WireTime.format(hold.expiresAt(), java.time.ZoneOffset.UTC), items);
    }

    private ItemView view(HoldItem item) {
        var zone = zones.of(item.staffId());
        return new ItemView(item.staffId(), item.serviceId(), WireTime.format(item.start(), zone),
                WireTime.format(item.end(), zone));
    }
}
