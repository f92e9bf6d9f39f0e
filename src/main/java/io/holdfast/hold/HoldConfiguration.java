package io.holdfast.hold;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration(proxyBeanMethods = false)
class HoldConfiguration {

    @Bean
    SqlTemporaryStore sqlTemporaryStore(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock,
            HoldSettings settings) {
        return new SqlTemporaryStore(jdbc, transactions, clock, settings.recordGrace());
    }
}
