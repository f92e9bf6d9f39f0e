package io.holdfast;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class HoldfastApplication {

    public static void main(String[] args) {
        SpringApplication.run(HoldfastApplication.class, args);
    }

    /** One clock for every "now" in the domain, so tests can move time (notice, windows, expiry). */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
