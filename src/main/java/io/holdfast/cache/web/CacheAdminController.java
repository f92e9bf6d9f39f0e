package io.holdfast.cache.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.holdfast.cache.CacheAdministration;
import io.holdfast.web.ApiProblem;
import io.holdfast.web.ProblemCode;
import io.holdfast.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
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

    @Operation(summary = "Cache health: hit rate against the target, recommendations")
    @GetMapping("/health")
    CacheAdministration.Health health() {
        return administration.health();
    }

    @Operation(summary = "Per cache and level: hits, misses, loads, evictions, size")
    @GetMapping("/stats")
    CacheAdministration.Stats stats() {
        return administration.stats(true);
    }

    @Operation(summary = "Latency percentiles per cache operation")
    @GetMapping("/performance")
    CacheAdministration.Performance performance() {
        return administration.performance();
    }

    @Operation(summary = "Run clean-up and warming now")
    @PostMapping("/maintenance")
    CacheAdministration.Maintenance maintenance() {
        return administration.maintenance();
    }

    @Operation(summary = "Remove the entries matching a pattern, on every instance")
    @DeleteMapping
    CacheAdministration.Cleared clear(
            @RequestParam @NotBlank @Size(max = 200) @Pattern(regexp = KEY_CHARACTERS) String pattern) {
        return administration.clear(pattern);
    }

    @Operation(summary = "One entry: type, TTL, size, value preview")
    @Refusals(ProblemCode.NOT_FOUND)
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
