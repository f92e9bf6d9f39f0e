package io.holdfast.identity;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import io.holdfast.hold.RedisConfigured;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
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

    /** Identity's Redis parts exist exactly when the temporary store's do. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(RedisConfigured.class)
    static class OnRedis {

        @Bean
        RedisCodes redisCodes(StringRedisTemplate redis) {
            return new RedisCodes(redis);
        }

        @Bean
        SessionCache sessionCache(StringRedisTemplate redis) {
            return new SessionCache(redis);
        }

        @Bean
        RedisBuckets redisBuckets(StringRedisTemplate redis, Clock clock,
                @Value("${spring.data.redis.timeout:500ms}") Duration commandTimeout) {
            return new RedisBuckets(redis, RateLimits.timeMeter(clock), commandTimeout, RateLimits.expiry());
        }
    }
}
