package io.holdfast.bench;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.holdfast.HoldfastApplication;
import io.holdfast.cache.SqlProbe;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.RedisServer;
import io.holdfast.support.TestSupportConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Availability reads over HTTP against in-process servers (loopback, {@link HttpLoad}), on PostgreSQL and a private
 * Redis: latency and throughput of a local hit, a Redis hit, a miss on both levels and no cache at all; database
 * statements per availability request (a JDBC statement counter in front of the pool); and the hit rate of a realistic
 * mix (90 % reads of 50 staff x 14 days, 10 % bookings, after warming).
 *
 * <p>Run: {@code ./mvnw test-compile exec:exec -Dbench.main=io.holdfast.bench.CacheBenchmarks} (also run at the end
 * of {@link Benchmarks}). Needs PostgreSQL on 127.0.0.1:5432 (schema {@code holdfast_bench_cache}) and redis-server.
 */
public final class CacheBenchmarks {

    private static final String TOKEN = "bench-admin-token-0123456789";
    private static final int STAFF = 50;
    private static final int CLIENTS = 8;
    private static final Duration RUN = Duration.ofSeconds(8);

    private CacheBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("\n" + run());
        System.exit(0);
    }

    static String run() throws Exception {
        String loadBefore = loadAverage();
        List<HttpLoad.Result> results = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        Map<String, Double> statementsPerRead = new java.util.LinkedHashMap<>();
        String mix;
        try (RedisServer redis = RedisServer.start()) {
            try (Server server = new Server(redis, "--holdfast.cache.local-ttl=300s")) {
                Catalogue catalogue = server.seed();
                catalogue.readAll(server, 1, 7);
                statementsPerRead.put("local hit", server.statementsPerRead(200, n -> catalogue.randomDay(1, 7)));
                results.add(HttpLoad.run("local hit", CLIENTS, RUN, Long.MAX_VALUE,
                        n -> HttpLoad.Call.get(server.availability(catalogue.randomDay(1, 7)))));
                inside.add(server.operation("local hit", "local.read"));
                statementsPerRead.put("miss (local and Redis)", server.statementsPerRead(200,
                        n -> catalogue.day((int) n, 8)));
                long keys = (long) STAFF * (60 - 8 - 4);
                results.add(HttpLoad.run("miss (local and Redis)", CLIENTS, RUN, keys - 200,
                        n -> HttpLoad.Call.get(server.availability(catalogue.day((int) (n + 200), 8)))));
                inside.add(server.operation("miss: Redis read", "redis.read"));
                inside.add(server.operation("miss: database load (5 queries)", "database.load"));
                inside.add(server.operation("miss: Redis write (script)", "redis.write"));
            }
            try (Server server = new Server(redis, "--holdfast.cache.local-max-entries=0")) {
                Catalogue catalogue = server.seed();
                catalogue.readAll(server, 1, 7);
                statementsPerRead.put("Redis hit", server.statementsPerRead(200, n -> catalogue.randomDay(1, 7)));
                results.add(HttpLoad.run("Redis hit (local level off)", CLIENTS, RUN, Long.MAX_VALUE,
                        n -> HttpLoad.Call.get(server.availability(catalogue.randomDay(1, 7)))));
                inside.add(server.operation("Redis hit", "redis.read"));
            }
            try (Server server = new Server(redis, "--holdfast.cache.enabled=false")) {
                Catalogue catalogue = server.seed();
                statementsPerRead.put("no cache", server.statementsPerRead(200, n -> catalogue.randomDay(1, 7)));
                results.add(HttpLoad.run("no cache (every read from the database)", CLIENTS, RUN, Long.MAX_VALUE,
                        n -> HttpLoad.Call.get(server.availability(catalogue.randomDay(1, 7)))));
            }
            try (Server server = new Server(redis, "--holdfast.cache.warm-days=15")) {
                mix = mixedLoad(server, results);
                inside.add(server.operation("mix: invalidation (Redis script, pub/sub, acks)", "invalidate"));
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("## Availability cache, ").append(LocalDate.now()).append("\n\n");
        out.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", ").append(System.getProperty("os.name"))
                .append(' ').append(System.getProperty("os.arch")).append(". PostgreSQL and Redis on loopback; ")
                .append(CLIENTS).append(" HTTP clients, ").append(RUN.toSeconds()).append(" s per run.\n\n");
        out.append("| availability read | clients | requests | p50 ms | p99 ms | req/s | failures |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        results.forEach(result -> out.append(result.row()).append('\n'));
        out.append("\n| inside the server (cache timers, /api/v1/admin/cache/performance) | count | p50 ms | p95 ms | p99 ms |\n");
        out.append("|---|---|---|---|---|\n");
        inside.forEach(row -> out.append(row).append('\n'));
        out.append("\n| SQL statements per availability request | |\n|---|---|\n");
        statementsPerRead.forEach((name, count) -> out.append(String.format(java.util.Locale.ROOT, "| %s | %.2f |%n",
                name, count)));
        out.append('\n').append(mix).append('\n');
        out.append("\nLoad average (1, 5, 15 min) before: ").append(loadBefore).append("; after: ")
                .append(loadAverage()).append(".\n");
        return out.toString();
    }

    /** 90 % availability reads, 10 % bookings (of holds made beforehand), after warming (as a running server is). */
    private static String mixedLoad(Server server, List<HttpLoad.Result> results) throws Exception {
        Catalogue catalogue = server.seed();
        List<JsonNode> holds = new ArrayList<>();
        java.util.Set<String> taken = new java.util.HashSet<>();
        while (holds.size() < 1500) {
            int staff = ThreadLocalRandom.current().nextInt(STAFF);
            LocalDate day = catalogue.today.plusDays(1 + ThreadLocalRandom.current().nextInt(14));
            int slot = ThreadLocalRandom.current().nextInt(20);
            String time = String.format("%02d:%02d", 8 + slot / 2, slot % 2 * 30);
            if (!taken.add(staff + " " + day + " " + time)) {
                continue;
            }
            Api.Response hold = server.fixtures.hold(Fixtures.clientId(), catalogue.staff.get(staff),
                    catalogue.service, catalogue.salon.start(day, time));
            if (hold.status() == 201) {
                holds.add(hold.json());
            }
        }
        server.api.admin("POST", "/api/v1/admin/cache/maintenance", null);
        JsonNode before = server.availabilityStats();
        int statementsBefore = server.sql.statements();
        java.util.concurrent.atomic.AtomicInteger booked = new java.util.concurrent.atomic.AtomicInteger();
        HttpLoad.Result result = HttpLoad.run("mix: 90 % reads, 10 % bookings (warmed)", CLIENTS, RUN,
                Long.MAX_VALUE, n -> {
                    if (n % 10 == 9 && booked.get() < holds.size()) {
                        JsonNode hold = holds.get(booked.getAndIncrement());
                        return new HttpLoad.Call("POST", java.net.URI.create(server.base + "/api/v1/bookings"),
                                "{\"holdId\":\"" + hold.get("holdId").asString() + "\",\"holdToken\":\""
                                        + hold.get("token").asString()
                                        + "\",\"customer\":{\"name\":\"Bench\",\"email\":\"bench@example.com\"}}",
                                "Idempotency-Key", UUID.randomUUID().toString());
                    }
                    return HttpLoad.Call.get(server.availability(catalogue.randomDay(1, 14)));
                });
        results.add(result);
        JsonNode after = server.availabilityStats();
        long lookups = after.get("lookups").asLong() - before.get("lookups").asLong();
        long loads = after.get("loads").asLong() - before.get("loads").asLong();
        long redisHits = after.get("redis").get("hits").asLong() - before.get("redis").get("hits").asLong();
        long localHits = after.get("local").get("hits").asLong() - before.get("local").get("hits").asLong();
        double statements = (double) (server.sql.statements() - statementsBefore) / result.requests();
        return String.format(java.util.Locale.ROOT,
                "Mix (after warming 15 days, default settings: local TTL 10 s, Redis TTL 300 s): %,d availability lookups, "
                        + "%,d bookings; answered from local memory %,d, from Redis %,d, loaded from the database %,d: "
                        + "hit rate %.1f %%; %.2f SQL statements per request (bookings included).",
                lookups, booked.get(), localHits, redisHits, loads, 100.0 * (lookups - loads) / lookups, statements);
    }

    private static String loadAverage() {
        try {
            String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (java.io.IOException | RuntimeException unknown) {
            return "unknown";
        }
    }

    /** The seeded catalogue: one Berlin location, one 30-minute service, 50 staff open 08:00-18:00 every day. */
    private static final class Catalogue {

        final Fixtures.Salon salon;
        final long service;
        final List<Long> staff = new ArrayList<>();
        final LocalDate today;

        Catalogue(Server server) {
            salon = server.fixtures.salon();
            service = salon.serviceId();
            staff.add(salon.staffId());
            while (staff.size() < STAFF) {
                long member = server.fixtures.staff(salon.locationId(), List.of(service));
                server.fixtures.everyDay(member, "08:00", "18:00");
                staff.add(member);
            }
            today = LocalDate.now(ZoneId.of("Europe/Berlin"));
        }

        String randomDay(int fromDay, int toDay) {
            int s = ThreadLocalRandom.current().nextInt(STAFF);
            int d = fromDay + ThreadLocalRandom.current().nextInt(toDay - fromDay + 1);
            return "staffId=" + staff.get(s) + "&serviceId=" + service + "&date=" + today.plusDays(d);
        }

        /** The n-th (staff, day) pair from {@code fromDay} on: every pair once. */
        String day(int n, int fromDay) {
            return "staffId=" + staff.get(n % STAFF) + "&serviceId=" + service + "&date="
                    + today.plusDays(fromDay + n / STAFF);
        }

        void readAll(Server server, int fromDay, int toDay) {
            for (long member : staff) {
                for (int d = fromDay; d <= toDay; d++) {
                    server.api.get("/api/v1/availability?staffId=" + member + "&serviceId=" + service + "&date="
                            + today.plusDays(d));
                }
            }
        }
    }

    private static final class Server implements AutoCloseable {

        final ConfigurableApplicationContext context;
        final String base;
        final Api api;
        final Fixtures fixtures;
        final SqlProbe sql;

        Server(RedisServer redis, String... extra) {
            redis.cli("FLUSHALL");
            List<String> args = new ArrayList<>(List.of("--server.port=0", "--holdfast.demo-data=false",
                    "--holdfast.admin.token=" + TOKEN,
                    "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=holdfast_bench_cache",
                    "--spring.datasource.username=postgres", "--spring.flyway.schemas=holdfast_bench_cache",
                    "--spring.flyway.create-schemas=true", "--spring.flyway.clean-disabled=false",
                    "--spring.data.redis.url=" + redis.url(), "--holdfast.cache.warm-on-start=false",
                    "--logging.level.root=WARN", "--spring.datasource.hikari.maximum-pool-size=30",
                    "--holdfast.hold.max-slots-per-client=1000", "--holdfast.hold.max-slots-per-address=1000000", "--holdfast.hold.requests-per-address=100000000"));
            args.addAll(List.of(extra));
            context = new SpringApplicationBuilder(HoldfastApplication.class, SqlProbe.Installed.class,
                    TestSupportConfiguration.class).run(args.toArray(String[]::new));
            base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
            api = new Api(base, TOKEN);
            fixtures = new Fixtures(api);
            sql = context.getBean(SqlProbe.class);
            // A loaded machine can make the first connection to Redis time out: measure only once Redis is in use.
            long deadline = System.currentTimeMillis() + 30_000;
            while (!api.get("/api/v1/health").json().get("storageMode").asString().equals("redis")) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the server did not reach Redis");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }

        /** One cache operation's timer of the availability cache (or of all caches, for invalidate). */
        String operation(String label, String operation) {
            for (JsonNode row : api.admin("GET", "/api/v1/admin/cache/performance", null).json().get("operations")) {
                String cache = row.get("cache").asString();
                if (row.get("operation").asString().equals(operation)
                        && (cache.equals("availability") || cache.equals("all"))) {
                    return String.format(java.util.Locale.ROOT, "| %s | %,d | %.3f | %.3f | %.3f |", label,
                            row.get("count").asLong(), row.get("p50Millis").asDouble(),
                            row.get("p95Millis").asDouble(), row.get("p99Millis").asDouble());
                }
            }
            return "| " + label + " | 0 | | | |";
        }

        Catalogue seed() {
            return new Catalogue(this);
        }

        String availability(String query) {
            return base + "/api/v1/availability?" + query;
        }

        double statementsPerRead(int reads, java.util.function.LongFunction<String> query) {
            int before = sql.statements();
            for (int i = 0; i < reads; i++) {
                api.get("/api/v1/availability?" + query.apply(i));
            }
            return (double) (sql.statements() - before) / reads;
        }

        JsonNode availabilityStats() {
            for (JsonNode cache : api.admin("GET", "/api/v1/admin/cache/stats", null).json().get("caches")) {
                if (cache.get("name").asString().equals("availability")) {
                    return cache;
                }
            }
            throw new IllegalStateException("no availability cache");
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
