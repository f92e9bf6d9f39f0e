package io.holdfast.ops;

import static io.holdfast.redis.RedisNodes.infoNumber;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.holdfast.redis.RedisFirst;
import io.holdfast.redis.RedisNodes;
import io.holdfast.web.WireTime;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * What operators need to know about Redis (seeds 000 and 002): INFO server, memory, clients, stats, persistence
 * and keyspace, the notify-keyspace-events setting, the head of the slow log, the router's failovers, the
 * configuration findings of {@link RedisConfigCheck}, and the seeds' alert thresholds. On a Cluster every master
 * is listed in {@code nodes} and {@code server} sums them up. Redis down or not configured is an answer, never an
 * error: this is the page people open when something is wrong.
 */
@Component
public class RedisStatus {

    static final int SLOWLOG_ENTRIES = 10;
    /** Seed 000: "Slow queries > 10ms → Warning". */
    static final long SLOW_MICROS = 10_000;
    /** Seed 000: "Memory > 80% → Warning" (of maxmemory). */
    static final double MEMORY_ALERT = 0.8;
    /** Seed 002: "Alert if > 100 clients". */
    static final long CLIENTS_ALERT = 100;
    private static final int SHOWN_ARGS = 6;
    private static final int ARG_CHARS = 40;
    /** Client ids in key names ({@code hf:{c:<client>}:...}) are masked, as in the admin hold listing. */
    private static final Pattern CLIENT_KEY = Pattern.compile("\\{c:[^}]*}");

    private final RedisFirst router;
    private final RedisConnectionFactory connections;
    private final FailoverHistory history;
    private final Clock clock;

    RedisStatus(RedisFirst router, RedisConnectionFactory connections, FailoverHistory history, Clock clock) {
        this.router = router;
        this.connections = connections;
        this.history = history;
        this.clock = clock;
    }

    public record SlowCommand(long id, String time, long durationMicros, List<String> command, String node) {
    }

    public record Memory(Long usedBytes, String usedHuman, Long peakBytes, String peakHuman, Long maxmemoryBytes,
            String maxmemoryHuman, String maxmemoryPolicy, Double usedOfMaxmemory, Double fragmentationRatio) {
    }

    public record Persistence(Boolean aofEnabled, String aofLastWriteStatus, String rdbLastSaveStatus,
            Long rdbChangesSinceLastSave, String rdbLastSaveTime, String save) {
    }

    public record Server(String address, String version, String role, Long uptimeSeconds, Memory memory,
            Long connectedClients, Long opsPerSecond, Long keyspaceHits, Long keyspaceMisses, Double hitRate,
            Long keys, Long expiredKeys, Long evictedKeys, Persistence persistence, String notifyKeyspaceEvents,
            List<SlowCommand> slowlog) {
    }

    public record Alert(String level, String message) {
    }

    public record Report(String redis, String mode, String storageMode, long failoverCount, int failoversLastHour,
            String lastFailover, String lastFailback, Server server, List<Server> nodes, List<String> warnings,
            List<Alert> alerts) {
    }

    public Report report() {
        RedisFirst routed = router;
        Instant now = clock.instant();
        int lastHour = history.lastHour(now);
        String storageMode = routed.mode().wire();
        if (!routed.configured()) {
            return new Report("disabled", null, storageMode, 0, lastHour, null, null, null, null, null, null);
        }
        if (lastHour == 0 && routed.lastFailover().filter(at -> at.isAfter(now.minus(FailoverHistory.WINDOW))).isPresent()) {
            lastHour = 1; // the router switches before it announces the switch: that announcement is on its way
        }
        long failovers = routed.failoverCount();
        String lastFailover = routed.lastFailover().map(at -> WireTime.format(at, ZoneOffset.UTC)).orElse(null);
        String lastFailback = routed.lastFailback().map(at -> WireTime.format(at, ZoneOffset.UTC)).orElse(null);
        RedisConnectionFactory factory = connections;
        String mode = RedisNodes.mode(factory);
        List<Alert> alerts = new ArrayList<>();
        if (lastHour > FailoverHistory.CRITICAL_PER_HOUR) {
            alerts.add(new Alert("critical", lastHour + " failovers to SQL in the last hour (more than "
                    + FailoverHistory.CRITICAL_PER_HOUR + "): Redis or the network to it is unstable"));
        }
        List<Server> servers;
        try {
            servers = RedisNodes.onEveryMaster(factory, this::server);
        } catch (DataAccessException | io.lettuce.core.RedisException unreachable) {
            alerts.add(0, new Alert("critical", "Redis is unreachable (" + unreachable.getMessage()
                    + "): temporary state is served by SQL until it returns"));
            return new Report("disconnected", mode, storageMode, failovers, lastHour, lastFailover, lastFailback,
                    null, null, null, alerts);
        }
        List<String> warnings = routed.configurationFindings();
        boolean cluster = servers.size() > 1 || mode.equals("cluster");
        for (Server server : servers) {
            alerts.addAll(alerts(server, cluster ? server.address() + ": " : ""));
        }
        Server summary = cluster ? sum(servers) : servers.get(0);
        return new Report("connected", mode, storageMode, failovers, lastHour, lastFailover, lastFailback, summary,
                cluster ? servers : null, warnings, alerts);
    }

    private Server server(RedisNodes.Node node) {
        Properties info = node.info();
        Long used = infoNumber(info, "used_memory");
        Long max = infoNumber(info, "maxmemory");
        Long hits = infoNumber(info, "keyspace_hits");
        Long misses = infoNumber(info, "keyspace_misses");
        Memory memory = new Memory(used, info.getProperty("used_memory_human"), infoNumber(info, "used_memory_peak"),
                info.getProperty("used_memory_peak_human"), max, info.getProperty("maxmemory_human"),
                info.getProperty("maxmemory_policy"), share(used, max), decimal(info, "mem_fragmentation_ratio"));
        Long lastSave = infoNumber(info, "rdb_last_save_time");
        Persistence persistence = new Persistence(
                info.getProperty("aof_enabled") == null ? null : info.getProperty("aof_enabled").equals("1"),
                info.getProperty("aof_last_write_status"), info.getProperty("rdb_last_bgsave_status"),
                infoNumber(info, "rdb_changes_since_last_save"),
                lastSave == null ? null : WireTime.format(Instant.ofEpochSecond(lastSave), ZoneOffset.UTC),
                node.config("save").orElse(null));
        List<SlowCommand> slowlog = slowlog(node);
        return new Server(node.address(), info.getProperty("redis_version"), info.getProperty("role"),
                infoNumber(info, "uptime_in_seconds"), memory, infoNumber(info, "connected_clients"),
                infoNumber(info, "instantaneous_ops_per_sec"), hits, misses, hitRate(hits, misses), keys(info),
                infoNumber(info, "expired_keys"), infoNumber(info, "evicted_keys"), persistence,
                node.config("notify-keyspace-events").orElse(null), slowlog);
    }

    /**
     * The seeds' thresholds. Not the keyspace hit rate's "< 90%": most of Holdfast's reads ask whether a slot's
     * granules are leased, and a free slot is a missing key, so a healthy server shows a low server-wide hit rate.
     * The cache's own hit rate, which that threshold is about, is at /api/v1/admin/cache/health.
     */
    private static List<Alert> alerts(Server server, String where) {
        List<Alert> alerts = new ArrayList<>();
        Double full = server.memory().usedOfMaxmemory();
        if (full != null && full > MEMORY_ALERT) {
            alerts.add(new Alert("warning", String.format(Locale.ROOT,
                    "%smemory is at %.0f%% of maxmemory (alert above %.0f%%): raise maxmemory or find what grows",
                    where, 100 * full, 100 * MEMORY_ALERT)));
        }
        if (server.connectedClients() != null && server.connectedClients() > CLIENTS_ALERT) {
            alerts.add(new Alert("warning", where + server.connectedClients() + " connected clients (alert above "
                    + CLIENTS_ALERT + ")"));
        }
        List<SlowCommand> slow = server.slowlog().stream().filter(entry -> entry.durationMicros() > SLOW_MICROS).toList();
        if (!slow.isEmpty()) {
            SlowCommand slowest = slow.stream().max(Comparator.comparingLong(SlowCommand::durationMicros)).orElseThrow();
            alerts.add(new Alert("warning", String.format(Locale.ROOT,
                    "%s%d of the last %d slow-log entries took over %d ms (slowest %.1f ms: %s)", where, slow.size(),
                    server.slowlog().size(), SLOW_MICROS / 1000, slowest.durationMicros() / 1000.0,
                    String.join(" ", slowest.command()))));
        }
        Persistence persistence = server.persistence();
        if ("err".equalsIgnoreCase(persistence.rdbLastSaveStatus())) {
            alerts.add(new Alert("warning", where + "the last RDB snapshot failed (rdb_last_bgsave_status:err)"));
        }
        if ("err".equalsIgnoreCase(persistence.aofLastWriteStatus())) {
            alerts.add(new Alert("warning", where + "the last AOF write failed (aof_last_write_status:err)"));
        }
        return alerts;
    }

    private List<SlowCommand> slowlog(RedisNodes.Node node) {
        List<SlowCommand> entries = new ArrayList<>();
        for (Object raw : node.slowlog(SLOWLOG_ENTRIES)) {
            if (!(raw instanceof List<?> entry) || entry.size() < 4) {
                continue;
            }
            List<String> command = new ArrayList<>();
            List<?> args = entry.get(3) instanceof List<?> list ? list : List.of();
            for (int i = 0; i < args.size() && i < SHOWN_ARGS; i++) {
                command.add(shorten(CLIENT_KEY.matcher(text(args.get(i))).replaceAll("{c:…}")));
            }
            if (args.size() > SHOWN_ARGS) {
                command.add("… (" + (args.size() - SHOWN_ARGS) + " more)");
            }
            entries.add(new SlowCommand(longOf(entry.get(0)),
                    WireTime.format(Instant.ofEpochSecond(longOf(entry.get(1))), ZoneOffset.UTC),
                    longOf(entry.get(2)), command, null));
        }
        return entries;
    }

    /** A cluster's totals: sums, the fullest and most fragmented master, and every distinct setting. */
    private static Server sum(List<Server> servers) {
        long used = total(servers, server -> server.memory().usedBytes());
        long peak = total(servers, server -> server.memory().peakBytes());
        boolean everyLimited = servers.stream().allMatch(server -> server.memory().maxmemoryBytes() != null
                && server.memory().maxmemoryBytes() > 0);
        long max = everyLimited ? total(servers, server -> server.memory().maxmemoryBytes()) : 0;
        Memory memory = new Memory(used, human(used), peak, human(peak), max, human(max),
                distinct(servers, server -> server.memory().maxmemoryPolicy()),
                servers.stream().map(server -> server.memory().usedOfMaxmemory()).filter(Objects::nonNull)
                        .max(Double::compare).orElse(null),
                servers.stream().map(server -> server.memory().fragmentationRatio()).filter(Objects::nonNull)
                        .max(Double::compare).orElse(null));
        long hits = total(servers, Server::keyspaceHits);
        long misses = total(servers, Server::keyspaceMisses);
        Persistence persistence = new Persistence(
                servers.stream().allMatch(server -> Boolean.TRUE.equals(server.persistence().aofEnabled())),
                worst(servers, server -> server.persistence().aofLastWriteStatus()),
                worst(servers, server -> server.persistence().rdbLastSaveStatus()),
                total(servers, server -> server.persistence().rdbChangesSinceLastSave()),
                servers.stream().map(server -> server.persistence().rdbLastSaveTime()).filter(Objects::nonNull)
                        .min(Comparator.naturalOrder()).orElse(null),
                distinct(servers, server -> server.persistence().save()));
        List<SlowCommand> slowlog = servers.stream()
                .flatMap(server -> server.slowlog().stream().map(entry -> new SlowCommand(entry.id(), entry.time(),
                        entry.durationMicros(), entry.command(), server.address())))
                .sorted(Comparator.comparing(SlowCommand::time).reversed()).limit(SLOWLOG_ENTRIES).toList();
        return new Server("cluster of " + servers.size() + " masters", distinct(servers, Server::version), "master",
                servers.stream().map(Server::uptimeSeconds).filter(Objects::nonNull).min(Long::compare).orElse(null),
                memory, total(servers, Server::connectedClients), total(servers, Server::opsPerSecond), hits, misses,
                hitRate(hits, misses), total(servers, Server::keys), total(servers, Server::expiredKeys),
                total(servers, Server::evictedKeys), persistence, distinct(servers, Server::notifyKeyspaceEvents),
                slowlog);
    }

    private static long total(List<Server> servers, Function<Server, Long> field) {
        return servers.stream().map(field).filter(Objects::nonNull).mapToLong(Long::longValue).sum();
    }

    private static String distinct(List<Server> servers, Function<Server, String> field) {
        return servers.stream().map(field).filter(Objects::nonNull).distinct().collect(Collectors.joining(", "));
    }

    /** "ok" only when every master says ok. */
    private static String worst(List<Server> servers, Function<Server, String> field) {
        return servers.stream().map(field).filter(Objects::nonNull).filter(status -> !status.equals("ok")).findFirst()
                .orElse("ok");
    }

    /** Sum of every {@code dbN:keys=...} line of INFO keyspace. */
    private static Long keys(Properties info) {
        long keys = 0;
        for (String name : info.stringPropertyNames()) {
            if (name.matches("db\\d+")) {
                for (String part : info.getProperty(name).split(",")) {
                    if (part.startsWith("keys=")) {
                        keys += Long.parseLong(part.substring(5).trim());
                    }
                }
            }
        }
        return keys;
    }

    static Double hitRate(Long hits, Long misses) {
        if (hits == null || misses == null || hits + misses == 0) {
            return null;
        }
        return Math.round(10_000.0 * hits / (hits + misses)) / 10_000.0;
    }

    private static Double share(Long used, Long max) {
        return used == null || max == null || max == 0 ? null : Math.round(10_000.0 * used / max) / 10_000.0;
    }

    private static Double decimal(Properties info, String field) {
        String value = info.getProperty(field);
        try {
            return value == null ? null : Double.parseDouble(value.trim());
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    /** Redis's own style: 1.50M. */
    private static String human(long bytes) {
        String[] units = {"B", "K", "M", "G", "T"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + "B" : String.format(Locale.ROOT, "%.2f%s", value, units[unit]);
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static String shorten(String arg) {
        return arg.length() <= ARG_CHARS ? arg : arg.substring(0, ARG_CHARS) + "…";
    }

    private static long longOf(Object value) {
        return value instanceof Number number ? number.longValue() : Long.parseLong(text(value));
    }
}
