package io.holdfast.ops.web;

import io.holdfast.ops.RedisStatus;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/admin/redis-status} (admin token required, see AdminAccess): always 200, Redis up or not. */
@RestController
class RedisStatusController {

    private final RedisStatus status;

    RedisStatusController(RedisStatus status) {
        this.status = status;
    }

    @Operation(summary = "Redis server info, configuration warnings, failovers and failbacks")
    @GetMapping("/api/v1/admin/redis-status")
    RedisStatus.Report redisStatus() {
        return status.report();
    }
}
