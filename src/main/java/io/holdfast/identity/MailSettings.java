package io.holdfast.identity;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Mail to guests. Sent over SMTP when {@code spring.mail.host} is set (Spring Boot's standard mail settings);
 * otherwise kept in the outbox that {@code GET /api/v1/admin/outbox} shows, so a demo works offline.
 *
 * @param from        the sender, also the organizer of calendar invitations
 * @param attempts    tries per mail before it is given up (and logged as lost)
 * @param retryDelay  wait before the second try; it doubles for each try after
 * @param outboxSize  mails the outbox keeps (the oldest go first)
 * @param queueSize   mails waiting to be sent at most; past it a mail is dropped and logged, never blocking a request
 */
@ConfigurationProperties("holdfast.mail")
record MailSettings(@DefaultValue("bookings@holdfast.invalid") String from, @DefaultValue("6") int attempts,
        @DefaultValue("2s") Duration retryDelay, @DefaultValue("500") int outboxSize,
        @DefaultValue("10000") int queueSize) {
}
