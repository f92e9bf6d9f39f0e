package io.holdfast.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.internet.MimeMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Sends mail to guests without ever making the caller wait or fail: {@link #send} only queues the mail; a small
 * scheduler delivers it over SMTP (Spring Mail, when {@code spring.mail.host} is set) or into the {@link Outbox}, and
 * retries a failed delivery with a doubling delay (Spring's {@link ExponentialBackOff}). A mail that cannot be
 * delivered after the last try, or that finds the queue full, is logged as lost; nothing else depends on it.
 */
public class GuestMail {

    private static final Logger log = LoggerFactory.getLogger(GuestMail.class);

    private final JavaMailSender smtp;
    private final Outbox outbox;
    private final MailSettings settings;
    private final Clock clock;
    private final ThreadPoolTaskScheduler scheduler;
    private final AtomicInteger queued = new AtomicInteger();

    GuestMail(JavaMailSender smtp, Outbox outbox, MailSettings settings, Clock clock) {
        this.smtp = smtp;
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(2);
        scheduler.setThreadNamePrefix("guest-mail-");
        // On a graceful shutdown, mails already due are still sent; retries waiting for later are dropped (logged).
        scheduler.setWaitForTasksToCompleteOnShutdown(true);
        scheduler.setAwaitTerminationSeconds(10);
        scheduler.initialize();
        if (smtp == null) {
            log.info("No SMTP server configured (spring.mail.host): guest mails, one-time codes included, are kept in "
                    + "GET /api/v1/admin/outbox");
        }
    }

    /** The sender address, which is also the organizer of calendar invitations. */
    public String sender() {
        return settings.from();
    }

    /** Whether mail leaves by SMTP (else it is kept in the outbox). */
    public boolean smtp() {
        return smtp != null;
    }

    /** Queues a mail; returns at once. */
    public void send(MailMessage mail) {
        if (queued.incrementAndGet() > settings.queueSize()) {
            queued.decrementAndGet();
            log.error("Mail queue full ({} waiting); mail '{}' to {} is lost", settings.queueSize(), mail.subject(),
                    mail.to());
            return;
        }
        ExponentialBackOff backOff = new ExponentialBackOff(settings.retryDelay().toMillis(), 2.0);
        backOff.setMaxAttempts(Math.max(0, settings.attempts() - 1));
        scheduler.execute(() -> attempt(mail, 1, backOff.start()));
    }

    /**
     * Delivers a mail on the caller's thread, without the queue and its retries, and throws when delivery failed:
     * for callers that keep their own durable retry and must know the mail left before they record it as sent
     * (reminders, whose job row outlives an instance that dies with mails still queued in its memory).
     *
     * @throws IllegalStateException when the mail server refused the mail or could not be reached
     */
    public void sendNow(MailMessage mail) {
        try {
            deliver(mail);
        } catch (jakarta.mail.MessagingException | org.springframework.mail.MailException failure) {
            throw new IllegalStateException("Mail '" + mail.subject() + "' to " + mail.to() + " failed: "
                    + failure.getMessage(), failure);
        }
    }

    private void attempt(MailMessage mail, int attempt, BackOffExecution retries) {
        try {
            deliver(mail);
            queued.decrementAndGet();
            if (attempt > 1) {
                log.info("Mail '{}' to {} delivered on try {}", mail.subject(), mail.to(), attempt);
            }
        } catch (RuntimeException | jakarta.mail.MessagingException failure) {
            long wait = retries.nextBackOff();
            if (wait == BackOffExecution.STOP) {
                queued.decrementAndGet();
                log.error("Mail '{}' to {} is lost after {} tries", mail.subject(), mail.to(), attempt, failure);
                return;
            }
            log.warn("Mail '{}' to {} failed on try {} ({}); retrying in {} ms", mail.subject(), mail.to(), attempt,
                    failure.getMessage(), wait);
            scheduler.schedule(() -> attempt(mail, attempt + 1, retries), Instant.now().plus(Duration.ofMillis(wait)));
        }
    }

    private void deliver(MailMessage mail) throws jakarta.mail.MessagingException {
        if (smtp == null) {
            outbox.keep(mail, clock.instant());
            return;
        }
        MimeMessage message = smtp.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(message, !mail.attachments().isEmpty(), "UTF-8");
        helper.setFrom(settings.from());
        helper.setTo(mail.to());
        helper.setSubject(mail.subject());
        helper.setText(mail.text(), false);
        for (MailMessage.Attachment attachment : mail.attachments()) {
            helper.addAttachment(attachment.filename(), new jakarta.mail.util.ByteArrayDataSource(
                    attachment.content().getBytes(java.nio.charset.StandardCharsets.UTF_8), attachment.contentType()));
        }
        smtp.send(message);
    }

    void shutdown() {
        scheduler.shutdown();
    }
}
