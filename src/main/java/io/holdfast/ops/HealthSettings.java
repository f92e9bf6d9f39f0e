package io.holdfast.ops;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param databaseTimeout how long a health check waits for the database before it calls it down: probes (load
 *                        balancers, Kubernetes) give up after a second or two, and an answer that comes after the
 *                        pool's connection timeout (10 s) would be no answer to them
 */
@ConfigurationProperties("holdfast.health")
record HealthSettings(@DefaultValue("2s") Duration databaseTimeout) {
}
