package io.holdfast.live.web;

import io.holdfast.redis.RedisMessages;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;

/** The live module's repeated work, at the intervals of {@link LiveSettings}. */
@Configuration(proxyBeanMethods = false)
class LiveSchedules {

    @Bean
    SchedulingConfigurer liveSchedule(LiveStreams streams, RedisMessages messages, LiveSettings settings) {
        return tasks -> {
            tasks.addFixedDelayTask(streams::heartbeat, settings.heartbeat());
            // The relay is the one that must hear other instances at once, so it sets how often the shared
            // subscription proves itself alive.
            tasks.addFixedDelayTask(messages::checkSubscription, settings.relayCheckInterval());
        };
    }
}
