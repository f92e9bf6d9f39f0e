package io.holdfast.hold.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import io.holdfast.catalog.Catalog;
import io.holdfast.hold.Holds;
import io.holdfast.hold.LiveHolds;
import io.holdfast.web.ApiProblem;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.holdfast.web.WireTime;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/holds}: live holds with their remaining lease (admin token required, see AdminAccess).
 * Paged by an opaque {@code cursor} (the previous page's {@code nextCursor}) and {@code limit}.
 * {@code DELETE /api/v1/admin/holds/{holdId}} releases one as its owner's release would.
 */
@RestController
@Validated
class AdminHoldController {

    private final LiveHolds holds;
    private final Holds workflow;
    private final Catalog catalog;
    private final Clock clock;

    AdminHoldController(LiveHolds holds, Holds workflow, Catalog catalog, Clock clock) {
        this.holds = holds;
        this.workflow = workflow;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * One held appointment. {@code client} is the client id masked: whoever knows a client id and the slots it
     * holds can repeat its hold request and receive the hold's token (an idempotent retry), so the listing never
     * shows it whole.
     */
    record HeldSlot(UUID holdId, long staffId, long serviceId, String start, String end, String client,
            String expiresAt, long ttlSeconds, String store) {
    }

    record Listing(String store, int limit, List<HeldSlot> holds, String nextCursor) {
    }

    @Operation(summary = "Live holds with their remaining lease, a page at a time (SCAN on every master)")
    @GetMapping("/api/v1/admin/holds")
    Listing holds(@RequestParam(required = false) @Positive Long staffId,
            @RequestParam(required = false) LocalDate date,
            @RequestParam(required = false) @Size(max = 200) String cursor,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        if (staffId != null && catalog.staffMember(staffId).isEmpty()) {
            throw ApiProblem.notFound("Staff member", staffId);
        }
        LiveHolds.After after = cursor == null || cursor.isBlank() ? null : decode(cursor);
        LiveHolds.Page page = holds.list(staffId, date, after, limit);
        Instant now = clock.instant();
        List<HeldSlot> slots = page.entries().stream().map(entry -> new HeldSlot(entry.holdId(), entry.staffId(),
                entry.serviceId(), WireTime.format(entry.start(), entry.zone()), WireTime.format(entry.end(), entry.zone()),
                mask(entry.clientId()), WireTime.format(entry.expiresAt(), ZoneOffset.UTC),
                secondsLeft(now, entry.expiresAt()), page.store())).toList();
        return new Listing(page.store(), limit, slots, page.next() == null ? null : encode(page.next()));
    }

    /** Someone looking at a start ("someone is looking" on the booking page); {@code client} masked as for holds. */
    record LookedAt(long staffId, String start, String client, String expiresAt, long ttlSeconds) {
    }

    record Selections(String store, List<LookedAt> selections) {
    }

    /*
     * For the admin page's live view. Not in API.md (../shared/API.md, which this repository cannot change), so it
     * stays out of the OpenAPI document, whose endpoints OpenApiMatchesApiContractTest holds to API.md's list.
     */
    @io.swagger.v3.oas.annotations.Hidden
    @GetMapping("/api/v1/admin/selections")
    Selections selections(@RequestParam(required = false) @Positive Long staffId,
            @RequestParam(required = false) LocalDate date) {
        if (staffId != null && catalog.staffMember(staffId).isEmpty()) {
            throw ApiProblem.notFound("Staff member", staffId);
        }
        LiveHolds.Selections listed = holds.selections(staffId, date);
        Instant now = clock.instant();
        return new Selections(listed.store(), listed.selections().stream().map(looking -> new LookedAt(
                looking.staffId(), WireTime.format(looking.start(), looking.zone()), mask(looking.clientId()),
                WireTime.format(looking.expiresAt(), ZoneOffset.UTC), secondsLeft(now, looking.expiresAt()))).toList());
    }

    @Operation(summary = "Release a hold: its slots show free at once and live viewers hear `released`")
    @DeleteMapping("/api/v1/admin/holds/{holdId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Refusals(ProblemCode.NOT_FOUND)
    void release(@PathVariable UUID holdId) {
        workflow.releaseForOperator(holdId);
    }

    /** Whole seconds left, rounded up: a lease with 0.3 s left is live and shows 1, never 0. */
    private static long secondsLeft(Instant now, Instant expiresAt) {
        long millis = Math.max(0, Duration.between(now, expiresAt).toMillis());
        return (millis + 999) / 1000;
    }

    /** Enough to tell clients apart and to match an id a customer reads out; too little to act as the client. */
    static String mask(String clientId) {
        if (clientId == null) {
            return null;
        }
        return clientId.length() >= 16 ? clientId.substring(0, 4) + "…" + clientId.substring(clientId.length() - 4)
                : clientId.substring(0, Math.min(2, clientId.length())) + "…";
    }

    private static String encode(LiveHolds.After after) {
        String key = after.start().toEpochMilli() + ":" + after.staffId() + ":" + after.holdId() + ":" + after.position();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static LiveHolds.After decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 4) {
                throw new IllegalArgumentException("wrong number of parts");
            }
            return new LiveHolds.After(Instant.ofEpochMilli(Long.parseLong(parts[0])), Long.parseLong(parts[1]),
                    UUID.fromString(parts[2]), Integer.parseInt(parts[3]));
        } catch (IllegalArgumentException | java.time.DateTimeException notACursor) {
            throw ApiProblem.invalid("cursor: not a nextCursor of this endpoint");
        }
    }
}
