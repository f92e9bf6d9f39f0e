package io.holdfast.cache.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.holdfast.cache.CacheAdministration;
import io.holdfast.web.ApiProblem;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The cache admin API of API.md (admin token required, see AdminAccess). */
@RestController
@Validated
@RequestMapping("/api/v1/admin/cache")
class CacheAdminController {

    /** Printable ASCII without spaces: what Holdfast's keys are made of, and Redis glob characters. */
    private static final String KEY_CHARACTERS = "[\\x21-\\x7e]+";

    private final CacheAdministration administration;

    CacheAdminController(CacheAdministration administration) {
        this.administration = administration;
    }

    @GetMapping("/health")
    CacheAdministration.Health health() {
        return administration.health();
    }

    @GetMapping("/stats")
    CacheAdministration.Stats stats() {
        return administration.stats(true);
    }

    @GetMapping("/performance")
    CacheAdministration.Performance performance() {
        return administration.performance();
    }

    @PostMapping("/maintenance")
    CacheAdministration.Maintenance maintenance() {
        return administration.maintenance();
    }

    @DeleteMapping
    CacheAdministration.Cleared clear(
            @RequestParam @NotBlank @Size(max = 200) @Pattern(regexp = KEY_CHARACTERS) String pattern) {
        return administration.clear(pattern);
    }

    @GetMapping("/debug/key")
    CacheAdministration.KeyDebug debugKey(
            @RequestParam @NotBlank @Size(max = 500) @Pattern(regexp = KEY_CHARACTERS) String key) {
        CacheAdministration.KeyDebug debug = administration.debug(key);
        if (!debug.inRedis() && !debug.inLocalMemory()) {
            throw ApiProblem.notFound("Cache key", debug.key());
        }
        return debug;
    }
}
