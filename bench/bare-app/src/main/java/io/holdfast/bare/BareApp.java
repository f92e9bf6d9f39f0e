package io.holdfast.bare;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The framework's floor for issue #13: what Spring Boot serves with no work at all. scripts/bench compares
 * Holdfast's no-op endpoint against {@code GET /} here, side by side in one run.
 */
@SpringBootApplication
@RestController
public class BareApp {

    public static void main(String[] args) {
        SpringApplication.run(BareApp.class, args);
    }

    @GetMapping("/")
    String ok() {
        return "ok";
    }
}
