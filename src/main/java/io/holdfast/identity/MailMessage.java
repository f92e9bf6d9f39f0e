package io.holdfast.identity;

import java.util.List;

/**
 * A mail to one guest: plain text and attachments (a calendar invitation). Addresses were validated where they
 * entered (see {@link io.holdfast.web.EmailAddress}), so none can carry header syntax.
 */
public record MailMessage(String to, String subject, String text, List<Attachment> attachments) {

    public MailMessage {
        attachments = List.copyOf(attachments);
    }

    public MailMessage(String to, String subject, String text) {
        this(to, subject, text, List.of());
    }

    /** @param contentType the full MIME type, parameters included ({@code text/calendar; method=REQUEST}) */
    public record Attachment(String filename, String contentType, String content) {
    }
}
