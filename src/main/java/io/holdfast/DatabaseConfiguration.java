package io.holdfast;

import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Flyway migrations come in two dialects: "standard" (H2, PostgreSQL) and "mysql" (MySQL, MariaDB),
 * which differ only in identity columns and timestamp types.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    @Bean
    FlywayConfigurationCustomizer migrationDialect() {
        return (FluentConfiguration configuration) -> {
            String url = configuration.getUrl();
            if (url == null) {
                try (var connection = configuration.getDataSource().getConnection()) {
                    url = connection.getMetaData().getURL();
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException("Cannot reach the database to choose migrations", e);
                }
            }
            DatabaseDriver driver = DatabaseDriver.fromJdbcUrl(url);
            boolean mysql = driver == DatabaseDriver.MYSQL || driver == DatabaseDriver.MARIADB;
            configuration.locations("classpath:db/migration/" + (mysql ? "mysql" : "standard"));
        };
    }
}
