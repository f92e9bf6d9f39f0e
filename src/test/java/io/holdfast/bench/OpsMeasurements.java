package io.holdfast.bench;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Instance;
import io.holdfast.support.RedisServer;
import io.holdfast.support.ServerTest;
import io.holdfast.support.TcpProxy;
import tools.jackson.databind.JsonNode;

/**
 * The operations endpoints, measured on whole servers backed by PostgreSQL: one with a private Redis (the
 * production shape), one in SQL mode whose database connection runs through a {@link TcpProxy} so the database can
 * be stalled. Measures the cost of a health probe against a no-op endpoint of the same server, a Prometheus scrape,
 * redis-status, the live-holds listing with 1,000 live holds in Redis and in SQL, and how long health takes to say
 * "down" while the database hangs. Part of {@link Benchmarks} ({@code HOLDFAST_BENCH=ops}).
 */
final class OpsMeasurements {

    private static final int LIVE_HOLDS = 1_000;
    private static final int STALLED_PROBES = 50;
    private static final String ADMIN = "Bearer " + ServerTest.ADMIN_TOKEN;

    private OpsMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("\n" + run());
    }

    static String run() throws Exception {
        String redisSchema = BenchStores.SCHEMA + "_ops_redis";
        String sqlSchema = BenchStores.SCHEMA + "_ops_sql";
        dropSchemas(redisSchema, sqlSchema);
        StringBuilder out = new StringBuilder("## Operations endpoints, ").append(LocalDate.now()).append("\n\n");
        try (RedisServer redis = RedisServer.start();
                TcpProxy database = TcpProxy.start("127.0.0.1", 5432);
                Instance withRedis = Instance.start(common(5432, redisSchema, "--spring.data.redis.url=" + redis.url()));
                Instance sqlOnly = Instance.start(common(database.port(), sqlSchema, "--holdfast.redis.enabled=false"))) {
            out.append(probes(withRedis));
            out.append(scrapes(withRedis));
            out.append(holdListings(withRedis, sqlOnly));
            out.append(stalledDatabase(sqlOnly, database));
        }
        return out.toString();
    }

    private static String[] common(int databasePort, String schema, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + databasePort + "/test?currentSchema=" + schema,
                "--spring.datasource.username=postgres", "--spring.flyway.schemas=" + schema,
                "--holdfast.hold.max-slots-per-client=" + (LIVE_HOLDS * 2),
                "--holdfast.hold.max-slots-per-address=1000000", "--holdfast.hold.requests-per-address=100000000",
                "--logging.level.root=WARN",
                "--spring.main.sources=" + LiveMeasurements.NoOp.class.getName()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    static void dropSchemas(String... schemas) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres",
                ""); Statement statement = connection.createStatement()) {
            for (String schema : schemas) {
                statement.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    /** Health probes as a load balancer or Kubernetes sends them, against the no-op endpoint. */
    private static String probes(Instance server) throws Exception {
        List<String> paths = List.of("/bench/no-op", "/api/v1/health", "/actuator/health", "/actuator/health/readiness",
                "/actuator/health/liveness");
        for (String path : paths) {
            HttpLoad.run("warm-up", 8, Duration.ofSeconds(3), 1_000_000, n -> HttpLoad.Call.get(server.url(path)));
        }
        List<HttpLoad.Result> results = new ArrayList<>();
        for (String path : paths) {
            results.add(HttpLoad.run(path, 8, Duration.ofSeconds(8), 1_000_000, n -> HttpLoad.Call.get(server.url(path))));
        }
        double noOp = results.get(0).perSecond();
        StringBuilder out = new StringBuilder("### Health probes (Redis up, PostgreSQL)\n\n"
                + "| endpoint (8 clients, 8 s each, one after another) | requests per second | p50 ms | p99 ms |"
                + " errors | vs no-op |\n|---|---|---|---|---|---|\n");
        for (HttpLoad.Result result : results) {
            out.append(String.format(Locale.ROOT, "| `%s` | %,.0f | %.2f | %.2f | %d | %.2fx |%n", result.name(),
                    result.perSecond(), result.p50Millis(), result.p99Millis(), result.failures(),
                    result.perSecond() / noOp));
        }
        return out.append('\n').toString();
    }

    /** A Prometheus scrape and redis-status, one client at a time as a scraper or an admin sends them. */
    private static String scrapes(Instance server) throws Exception {
        // Some traffic first, so the meters that appear only once used (holds, bookings, cache) are in the scrape.
        Fixtures fixtures = server.fixtures();
        var salon = fixtures.salon("Europe/Berlin", 5, 5, 0, 0, "00:00", "23:55");
        LocalDate day = LocalDate.now(salon.zone()).plusDays(1);
        String client = Fixtures.clientId();
        for (int i = 0; i < 10; i++) {
            fixtures.hold(client, salon.staffId(), salon.serviceId(), salon.start(day, String.format("%02d:00", i)));
        }
        server.api().get("/api/v1/availability?serviceId=" + salon.serviceId() + "&date=" + day);
        HttpLoad.Call scrape = HttpLoad.Call.get(server.url("/actuator/prometheus"));
        HttpResponse<String> sample = HttpLoad.sendOnce(scrape);
        long series = sample.body().lines().filter(line -> !line.isBlank() && !line.startsWith("#")).count();
        HttpLoad.Call status = HttpLoad.Call.get(server.url("/api/v1/admin/redis-status"), "Authorization", ADMIN);
        int statusCode = HttpLoad.sendOnce(status).statusCode();
        if (sample.statusCode() != 200 || statusCode != 200) {
            throw new IllegalStateException("scrape " + sample.statusCode() + ", redis-status " + statusCode);
        }
        HttpLoad.run("warm-up", 1, Duration.ofSeconds(3), 1_000_000, n -> scrape);
        HttpLoad.run("warm-up", 1, Duration.ofSeconds(3), 1_000_000, n -> status);
        HttpLoad.Result scrapes = HttpLoad.run("`/actuator/prometheus`", 1, Duration.ofSeconds(8), 1_000_000, n -> scrape);
        HttpLoad.Result statuses = HttpLoad.run("`/api/v1/admin/redis-status`", 1, Duration.ofSeconds(8), 1_000_000,
                n -> status);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "### Scrape and Redis status%n%n"
                + "The scrape after a few holds and an availability request: %,d bytes, %d series.%n%n"
                + "| endpoint (1 client, 8 s) | requests per second | p50 ms | p99 ms | errors |%n|---|---|---|---|---|%n",
                sample.body().length(), series));
        for (HttpLoad.Result result : List.of(scrapes, statuses)) {
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f | %d |%n", result.name(),
                    result.perSecond(), result.p50Millis(), result.p99Millis(), result.failures()));
        }
        return out.append('\n').toString();
    }

    /** The admin listing of live holds with 1,000 of them: SCAN over Redis against the SQL store's query. */
    private static String holdListings(Instance withRedis, Instance sqlOnly) throws Exception {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "### Live holds listing, %,d live holds%n%n"
                + "`GET /api/v1/admin/holds?limit=50`: the first page, one client, 5 s; then the whole walk"
                + " (every page by `nextCursor`), 5 times.%n%n| store | first page p50 ms | first page p99 ms |"
                + " whole walk p50 ms | pages | holds seen |%n|---|---|---|---|---|---|%n", LIVE_HOLDS));
        for (Instance server : List.of(withRedis, sqlOnly)) {
            makeHolds(server);
            HttpLoad.Call firstPage = HttpLoad.Call.get(server.url("/api/v1/admin/holds?limit=50"), "Authorization",
                    ADMIN);
            HttpLoad.run("warm-up", 1, Duration.ofSeconds(2), 1_000_000, n -> firstPage);
            HttpLoad.Result first = HttpLoad.run("first page", 1, Duration.ofSeconds(5), 1_000_000, n -> firstPage);
            double[] walks = new double[5];
            int pages = 0;
            int seen = 0;
            String store = "";
            for (int i = 0; i < walks.length; i++) {
                long started = System.nanoTime();
                pages = 0;
                seen = 0;
                String cursor = null;
                do {
                    JsonNode page = server.api().get("/api/v1/admin/holds?limit=50"
                            + (cursor == null ? "" : "&cursor=" + cursor), "Authorization", ADMIN).json();
                    store = page.get("store").asString();
                    seen += page.get("holds").size();
                    pages++;
                    cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asString() : null;
                } while (cursor != null);
                walks[i] = (System.nanoTime() - started) / 1e6;
            }
            Arrays.sort(walks);
            out.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.1f | %d | %,d |%n", store, first.p50Millis(),
                    first.p99Millis(), walks[walks.length / 2], pages, seen));
        }
        return out.append('\n').toString();
    }

    /** 1,000 holds spread over four days of one staff member (5-minute slots all day), from one client. */
    private static void makeHolds(Instance server) {
        Fixtures fixtures = server.fixtures();
        var salon = fixtures.salon("Europe/Berlin", 5, 5, 0, 0, "00:00", "23:55");
        String client = Fixtures.clientId();
        LocalDate first = LocalDate.now(salon.zone()).plusDays(2);
        for (int i = 0; i < LIVE_HOLDS; i++) {
            int minutes = 5 * (i % 250);
            Api.Response hold = fixtures.hold(client, salon.staffId(), salon.serviceId(), salon.start(
                    first.plusDays(i / 250), String.format("%02d:%02d", minutes / 60, minutes % 60)));
            if (hold.status() != 201) {
                throw new IllegalStateException("hold refused: " + hold);
            }
        }
    }

    /**
     * The database stops answering without closing anything (a hung server or a black-holed network): 50 health
     * probes at once must all say 503 within the health check's 2 s bound, not wait for the pool's 10 s timeout.
     */
    private static String stalledDatabase(Instance server, TcpProxy database) throws Exception {
        String health = server.url("/api/v1/health");
        database.stall();
        HttpLoad.Result stalled;
        try {
            stalled = HttpLoad.run("stalled", STALLED_PROBES, Duration.ofSeconds(60), STALLED_PROBES,
                    n -> HttpLoad.Call.get(health));
        } finally {
            database.restore();
        }
        return String.format(Locale.ROOT, "### Health while the database hangs%n%n"
                + "%d concurrent `/api/v1/health` calls to the SQL-mode server while its PostgreSQL connection is"
                + " stalled: %d answered 503 (counted as errors by the driver, as they should be), p50 %.0f ms, p99"
                + " %.0f ms (the pool's own connection timeout is 10 s).%n", STALLED_PROBES, stalled.failures(),
                stalled.p50Millis(), stalled.p99Millis());
    }
}
