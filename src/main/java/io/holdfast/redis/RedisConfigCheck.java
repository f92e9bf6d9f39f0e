package io.holdfast.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Reads the Redis settings the temporary store relies on (CONFIG GET maxmemory-policy, appendonly, save,
 * notify-keyspace-events, on every master) and says in one sentence each what is unsafe, why, and what to set.
 * Run once at start (one WARN line per finding) and again for every redis-status request, since anyone with
 * redis-cli can change them at run time.
 *
 * <p>Eviction is the finding that matters most. Every key Holdfast writes has a TTL, so both families of evicting
 * policies can pick a live hold's lease: {@code allkeys-*} may drop any key, {@code volatile-*} any key with a TTL,
 * which is all of ours. The lease simply disappears, the slot shows free and someone else can hold it; no error
 * reaches Holdfast. Under {@code noeviction} a full server refuses writes instead: the refused call fails over to
 * SQL and no hold is lost. The seeds recommend {@code allkeys-lru}, which is fine for a pure cache but not for
 * locks.
 */
class RedisConfigCheck {

    private static final Logger log = LoggerFactory.getLogger(RedisConfigCheck.class);

    private final RedisConnectionFactory connections;

    RedisConfigCheck(RedisConnectionFactory connections) {
        this.connections = connections;
    }

    /** Logs one WARN line per finding (or one INFO line that all is well). */
    void checkAtStart() {
        List<String> findings = findings();
        if (findings.isEmpty()) {
            log.info("Redis configuration checked: no eviction of holds, persistence on, expiry events on");
        }
        findings.forEach(finding -> log.warn("Redis configuration: {}", finding));
    }

    /** What is unsafe in the Redis configuration now, one sentence each; empty when nothing is. */
    List<String> findings() {
        try {
            record Checked(String address, List<String> findings) {
            }
            List<Checked> servers = RedisNodes.onEveryMaster(connections,
                    server -> new Checked(server.address(), check(server)));
            List<String> findings = new ArrayList<>();
            for (Checked server : servers) {
                String prefix = servers.size() > 1 ? server.address() + ": " : "";
                server.findings().forEach(finding -> findings.add(prefix + finding));
            }
            return findings;
        } catch (DataAccessException | io.lettuce.core.RedisException unreachable) {
            return List.of("could not reach Redis to check its configuration (" + unreachable.getMessage()
                    + "); make sure maxmemory-policy is noeviction, appendonly is yes and notify-keyspace-events "
                    + "includes Ex");
        }
    }

    private List<String> check(RedisNodes.Node server) {
        String policy;
        String appendonly;
        String save;
        String events;
        try {
            policy = server.config("maxmemory-policy").orElse("");
            appendonly = server.config("appendonly").orElse("");
            save = server.config("save").orElse("");
            events = server.config("notify-keyspace-events").orElse("");
        } catch (org.springframework.dao.QueryTimeoutException
                | org.springframework.data.redis.RedisConnectionFailureException unreachable) {
            throw unreachable;
        } catch (DataAccessException | io.lettuce.core.RedisException refused) {
            // Managed Redis services often rename or disable CONFIG: say so once, since nothing else can be checked.
            return List.of("could not read the Redis configuration with CONFIG GET (" + refused.getMessage()
                    + "; CONFIG may be disabled or renamed): check by hand that maxmemory-policy is noeviction, "
                    + "appendonly is yes and notify-keyspace-events includes Ex");
        }
        List<String> findings = new ArrayList<>();
        evictionFinding(policy).ifPresent(findings::add);
        if (appendonly.equalsIgnoreCase("no") && save.isBlank()) {
            findings.add("persistence is off (appendonly no, save \"\"): a restart of Redis loses every live hold, "
                    + "so its slot shows free to other customers until the owner comes back; set appendonly yes "
                    + "(appendfsync everysec)");
        }
        if (!KeyspaceExpiryEvents.publishesExpiries(events)) {
            findings.add("notify-keyspace-events is '" + events + "', without expiry events, and Holdfast could not "
                    + "turn them on with CONFIG SET: lapsed holds are then found by polling only "
                    + "(holdfast.hold.lapse-check-interval); set notify-keyspace-events Ex");
        }
        return findings;
    }

    static Optional<String> evictionFinding(String policy) {
        String value = policy.toLowerCase(Locale.ROOT);
        if (value.startsWith("allkeys-")) {
            return Optional.of("maxmemory-policy is " + value + ": when memory is full Redis may evict any key, "
                    + "including a live hold's lease, and the slot silently becomes free for someone else; set "
                    + "maxmemory-policy noeviction (a full Redis then refuses writes and Holdfast serves them from "
                    + "SQL). The seeds' allkeys-lru recommendation is unsafe for holds");
        }
        if (value.startsWith("volatile-")) {
            return Optional.of("maxmemory-policy is " + value + ": every key Holdfast writes has a TTL, so when "
                    + "memory is full Redis may evict a live hold's lease and the slot silently becomes free for "
                    + "someone else; set maxmemory-policy noeviction (a full Redis then refuses writes and Holdfast "
                    + "serves them from SQL)");
        }
        return Optional.empty();
    }
}
