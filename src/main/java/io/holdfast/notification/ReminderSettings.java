package io.holdfast.notification;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param lead how long before a booking's start its reminder mails go out, one mail per entry ({@code 24h,2h});
 *             empty turns reminders off
 * @param retryDelay how long a reminder waits for another try when the mail server failed it (until the booking
 *                   starts; after that it is dropped)
 */
@ConfigurationProperties("holdfast.reminders")
record ReminderSettings(@DefaultValue("24h") List<Duration> lead, @DefaultValue("1m") Duration retryDelay) {

    ReminderSettings {
        lead = lead.stream().filter(d -> !d.isNegative() && !d.isZero()).distinct().toList();
    }
}
