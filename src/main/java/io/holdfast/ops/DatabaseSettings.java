package io.holdfast.ops;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Client-side read timeouts of the SQL connections (PostgreSQL, MariaDB/MySQL; the embedded H2 has no network).
 * A database that stops answering without closing anything (a frozen server, a network partition) would otherwise
 * keep every request that touches it, and its pooled connection, waiting for the kernel's TCP timeout (minutes).
 *
 * @param readTimeout          the longest a pooled connection waits for the database's next bytes: past it the
 *                             driver gives the connection up, the pool evicts it and the request answers 503. Not a
 *                             limit on a statement's length (rows that keep coming keep it alive), only on silence;
 *                             keep it above the longest lock wait a request can meet (MariaDB's
 *                             {@code innodb_lock_wait_timeout}). {@code 0}: none
 * @param migrationReadTimeout the same for Flyway's migrations at start-up, which may be quiet for long (an index
 *                             built on a large table); {@code 0}: none
 */
@ConfigurationProperties("holdfast.database")
record DatabaseSettings(@DefaultValue("10s") Duration readTimeout, @DefaultValue("1h") Duration migrationReadTimeout) {
}
