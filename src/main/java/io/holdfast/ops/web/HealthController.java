package io.holdfast.ops.web;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.UUID;

import io.holdfast.ops.DatabaseCheck;
import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.StorageMode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The seeds' health endpoint: Redis down is "degraded" (every request is still served, from SQL); only an
 * unreachable database is "down" (503), because bookings cannot be made without it. The database check answers
 * within {@code holdfast.health.database-timeout} however the database fails (see {@link DatabaseCheck}).
 */
@Tag(name = "Operations")
@RestController
class HealthController {

    private static final Logger log = LoggerFactory.getLogger(HealthController.class);

    private final DatabaseCheck database;
    private final RedisFirst redis;
    /**
     * Random per process: it tells instances apart without naming the host or process to anonymous callers. The
     * start-up log pairs it with pid@host for the operator.
     */
    private final String instanceId = UUID.randomUUID().toString().substring(0, 13);
    private final String version = Optional.ofNullable(HealthController.class.getPackage().getImplementationVersion())
            .orElse("dev");

    HealthController(DatabaseCheck database, RedisFirst redis) {
        this.database = database;
        this.redis = redis;
        log.info("/api/v1/health names this instance {} ({})", instanceId, ManagementFactory.getRuntimeMXBean().getName());
    }

    record Health(String status, String database, String redis, String storageMode, String instanceId,
            String version) {
    }

    @Operation(summary = "Health of this instance, its database and Redis")
    @ApiResponse(responseCode = "200", description = "Serving (status ok, or degraded without Redis)")
    @ApiResponse(responseCode = "503", description = "The database is unreachable (status down)")
    @GetMapping("/api/v1/health")
    ResponseEntity<Health> health() {
        boolean databaseUp = database.reachable();
        StorageMode mode = redis.mode(); // read once: redis, storageMode and status are one snapshot of it
        String redisStatus = redis.configured() ? mode.redisStatus() : "disabled";
        String status = !databaseUp ? "down" : mode == StorageMode.SQL && redis.configured() ? "degraded" : "ok";
        Health health = new Health(status, databaseUp ? "up" : "down", redisStatus, mode.wire(), instanceId, version);
        return ResponseEntity.status(databaseUp ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(health);
    }
}
