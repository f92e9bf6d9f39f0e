package io.holdfast.identity.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import io.holdfast.identity.GuestSessions;
import io.holdfast.identity.OneTimeCodes;
import io.holdfast.web.ApiProblem;
import io.holdfast.web.BearerScheme;
import io.holdfast.web.EmailAddress;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.holdfast.web.WireTime;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * API.md's identity endpoints. The client's network address (for the per-client limits) is the request's remote
 * address: behind a proxy, set {@code server.forward-headers-strategy} so that it is the client's and not the
 * proxy's.
 */
@Tag(name = "Identity")
@RestController
@Validated
@RequestMapping("/api/v1/auth")
class AuthController {

    private final OneTimeCodes codes;
    private final GuestSessions sessions;

    AuthController(OneTimeCodes codes, GuestSessions sessions) {
        this.codes = codes;
        this.sessions = sessions;
    }

    record CodeRequest(@NotBlank @EmailAddress String email) {
    }

    record CodeCheck(@NotBlank @EmailAddress String email,
            @NotNull @Pattern(regexp = "[0-9]{6}", message = "expected a string of 6 digits") String code) {
    }

    record SessionView(String sessionToken, String expiresAt, String email) {
    }

    /** 202 and no body, always the same: whether the address is known is nobody's business. */
    @Operation(summary = "Mail a one-time code to an email address")
    @ApiResponse(responseCode = "202", description = "Accepted, whether or not the address is known")
    @Refusals(ProblemCode.RATE_LIMITED)
    @PostMapping("/otp")
    ResponseEntity<Void> requestCode(@Valid @RequestBody CodeRequest body, HttpServletRequest request) {
        codes.request(body.email(), request.getRemoteAddr());
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @Operation(summary = "Trade a mailed code for a guest session")
    @Refusals({ProblemCode.OTP_INVALID, ProblemCode.RATE_LIMITED})
    @PostMapping("/otp/verify")
    SessionView verify(@Valid @RequestBody CodeCheck body, HttpServletRequest request) {
        OneTimeCodes.Verified verified = codes.verify(body.email(), body.code(), request.getRemoteAddr());
        return new SessionView(verified.sessionToken(),
                WireTime.format(verified.session().expiresAt(), java.time.ZoneOffset.UTC), verified.session().email());
    }

    @Operation(summary = "End a guest session")
    @ApiResponse(responseCode = "204", description = "Ended")
    @Refusals(ProblemCode.UNAUTHORIZED)
    @DeleteMapping("/session")
    ResponseEntity<Void> logout(
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ApiProblem(ProblemCode.UNAUTHORIZED, "Logging out needs 'Authorization: Bearer <session token>'");
        }
        BearerScheme.refusal(authorization, ProblemCode.UNAUTHORIZED, "session token").ifPresent(refusal -> {
            throw refusal;
        });
        if (!sessions.close(authorization)) {
            throw new ApiProblem(ProblemCode.UNAUTHORIZED, "The session is not valid (ended, expired or unknown)");
        }
        return ResponseEntity.noContent().build();
    }
}
