package io.holdfast.hold;

import java.time.Clock;

import io.holdfast.redis.RedisMessages;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.transaction.PlatformTransactionManager;

/** The hold module's SQL store (always there: the fallback, and the only store without Redis) and its schedules. */
@Configuration(proxyBeanMethods = false)
class HoldConfiguration {

    @Bean
    SqlTemporaryStore sqlTemporaryStore(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock,
            HoldSettings settings) {
        return new SqlTemporaryStore(jdbc, transactions, clock, settings.recordGrace(), settings.tokenLife());
    }

    @Bean
    HoldLapseWatcher holdLapseWatcher(TemporaryStore store, ApplicationEventPublisher events, RedisMessages messages,
            TaskScheduler scheduler) {
        HoldLapseWatcher watcher = new HoldLapseWatcher(store, events);
        watcher.wakeOnLeaseExpiry(messages, scheduler);
        return watcher;
    }

    @Bean
    TemporaryStateSweeper temporaryStateSweeper(SqlTemporaryStore store) {
        return new TemporaryStateSweeper(store);
    }

    @Bean
    SchedulingConfigurer holdSchedules(HoldLapseWatcher lapses, TemporaryStateSweeper sweeper, HoldSettings settings) {
        return tasks -> {
            tasks.addFixedDelayTask(lapses::announceLapses, settings.lapseCheckInterval());
            tasks.addFixedDelayTask(new FixedDelayTask(sweeper::sweep, settings.sweepInterval(), settings.sweepInterval()));
        };
    }
}
