package io.holdfast.notification.web;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import io.holdfast.notification.Webhooks;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Webhooks")
@RestController
@Validated
@RequestMapping("/api/v1/admin/webhooks")
class AdminWebhookController {

    private final Webhooks webhooks;

    AdminWebhookController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    record CreateBody(@NotBlank @Size(max = 2048) String url, @NotNull @Size(min = 1, max = 3) List<String> events) {
    }

    @Operation(summary = "Subscribe a URL to booking events",
            description = "Answers the signing secret (whsec_...) once. A URL on a loopback, link-local or private "
                    + "address is refused unless holdfast.webhooks.allow-private-targets=true.")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Webhooks.Webhook create(@Valid @RequestBody CreateBody body) {
        return webhooks.create(body.url(), body.events());
    }

    @Operation(summary = "The webhooks (without their secrets)")
    @GetMapping
    List<Webhooks.Webhook> list() {
        return webhooks.list();
    }

    @Operation(summary = "Delete a webhook and its deliveries; deliveries still planned are dropped")
    @Refusals(ProblemCode.NOT_FOUND)
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable @Positive long id) {
        webhooks.delete(id);
    }

    @Operation(summary = "A webhook's recent deliveries, newest first, each with its attempts (status and time)")
    @Refusals(ProblemCode.NOT_FOUND)
    @GetMapping("/{id}/deliveries")
    List<Webhooks.Delivery> deliveries(@PathVariable @Positive long id,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return webhooks.deliveries(id, limit);
    }
}
