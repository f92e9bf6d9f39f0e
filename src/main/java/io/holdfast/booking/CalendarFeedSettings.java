package io.holdfast.booking;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Staff calendar feeds.
 *
 * @param refreshInterval how often the feed asks calendar programs to fetch it again ({@code REFRESH-INTERVAL},
 *                        {@code X-PUBLISHED-TTL}); Apple Calendar and Thunderbird follow it, Google Calendar fetches
 *                        on its own schedule (hours)
 */
@ConfigurationProperties("holdfast.calendar-feed")
record CalendarFeedSettings(@DefaultValue("15m") Duration refreshInterval) {
}
