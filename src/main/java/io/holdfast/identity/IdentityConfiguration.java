package io.holdfast.identity;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.mail.javamail.JavaMailSender;

@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

    @Bean
    Outbox outbox(MailSettings settings) {
        return new Outbox(settings.outboxSize());
    }

    /** SMTP when Spring Boot configured a mail sender ({@code spring.mail.host}), else the outbox. */
    @Bean(destroyMethod = "shutdown")
    GuestMail guestMail(ObjectProvider<JavaMailSender> smtp, Outbox outbox, MailSettings settings, Clock clock) {
        return new GuestMail(smtp.getIfAvailable(), outbox, settings, clock);
    }

    @Bean
    SqlBuckets sqlBuckets(DataSource dataSource, Clock clock) {
        return new SqlBuckets(dataSource, RateLimits.timeMeter(clock), RateLimits.expiry());
    }

    /** Sweeps every {@code holdfast.identity.sweep-interval}, the first time one interval after start. */
    @Bean
    SchedulingConfigurer identitySweep(IdentitySweeper sweeper, IdentitySettings settings) {
        return tasks -> tasks.addFixedDelayTask(
                new FixedDelayTask(sweeper::sweep, settings.sweepInterval(), settings.sweepInterval()));
    }
}
