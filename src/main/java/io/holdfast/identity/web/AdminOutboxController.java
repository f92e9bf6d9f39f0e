package io.holdfast.identity.web;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;

import io.holdfast.identity.MailMessage;
import io.holdfast.identity.Outbox;
import io.holdfast.web.EmailAddress;
import io.holdfast.web.WireTime;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Mails kept when no SMTP server is configured (admin token required, like all of /api/v1/admin). */
@RestController
@Validated
class AdminOutboxController {

    private final Outbox outbox;

    AdminOutboxController(Outbox outbox) {
        this.outbox = outbox;
    }

    record MailView(long id, String sentAt, String to, String subject, String text, List<MailMessage.Attachment> attachments) {
    }

    /** Newest first; {@code to} filters by recipient, {@code after} returns only mails newer than that id. */
    @Operation(summary = "Mails kept when no SMTP server is configured, newest first")
    @GetMapping("/api/v1/admin/outbox")
    List<MailView> outbox(@RequestParam(required = false) @EmailAddress String to,
            @RequestParam(defaultValue = "0") @PositiveOrZero long after,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return outbox.list(to, after, limit).stream()
                .map(kept -> new MailView(kept.id(), WireTime.format(kept.at(), java.time.ZoneOffset.UTC),
                        kept.mail().to(), kept.mail().subject(), kept.mail().text(), kept.mail().attachments()))
                .toList();
    }
}
