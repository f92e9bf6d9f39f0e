package io.holdfast.notification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Instance;
import io.holdfast.support.TcpProxy;
import tools.jackson.databind.JsonNode;

/**
 * Issue #14: "a booking's latency with a webhook receiver that never answers is the same as without one". One
 * server on PostgreSQL; bookings one after another (only the booking request is timed, the hold is made before) with
 * no webhook, with three webhooks to a receiver that answers 204 at once, with three to a receiver that accepts the
 * connection and never answers (every job thread ends up waiting for its 10 s timeout), and with three to one that
 * is down (connection refused). The four take turns, {@link #PER_TURN} bookings each, {@link #ROUNDS} times, so a
 * change in the machine's load falls on all of them alike. Part of {@code Benchmarks} ({@code HOLDFAST_BENCH=webhooks}).
 */
public final class WebhookBenchmark {

    private static final int ROUNDS = 6;
    private static final int PER_TURN = 20;
    private static final int SLOTS_A_DAY = 287;
    private static final String SCHEMA = System.getenv().getOrDefault("HOLDFAST_TEST_SCHEMA", "holdfast")
            + "_bench_webhooks";

    private WebhookBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("\n" + run());
    }

    public static String run() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres",
                ""); Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + SCHEMA + " cascade");
        }
        try (WebhookReceiver receiver = new WebhookReceiver();
                TcpProxy hanging = TcpProxy.start("127.0.0.1", receiver.port());
                Instance server = Instance.start(
                        "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + SCHEMA,
                        "--spring.datasource.username=postgres", "--spring.flyway.schemas=" + SCHEMA,
                        "--spring.flyway.create-schemas=true", "--holdfast.webhooks.allow-private-targets=true",
                        "--logging.level.root=WARN")) {
            hanging.stall();
            Api api = server.api();
            Fixtures fixtures = server.fixtures();
            var salon = fixtures.salon("UTC", 5, 5, 0, 0, "00:00", "23:55");
            String email = "bench-" + UUID.randomUUID() + "@example.com";
            LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
            Map<String, String> targets = new LinkedHashMap<>();
            targets.put("none", null);
            targets.put("3 to a receiver that answers 204", "http://127.0.0.1:" + receiver.port() + "/hook");
            targets.put("3 to a receiver that never answers", "http://127.0.0.1:" + hanging.port() + "/hook");
            targets.put("3 to a receiver that is down", "http://127.0.0.1:" + (hanging.port() + 1) + "/hook");
            Map<String, List<Long>> micros = new LinkedHashMap<>();
            targets.keySet().forEach(name -> micros.put(name, new ArrayList<>()));
            int slot = PER_TURN * 3;
            book(api, fixtures, salon, email, day, 0, PER_TURN * 3); // warm-up (JIT, pools, caches): not shown
            for (int round = 0; round < ROUNDS; round++) {
                for (Map.Entry<String, String> target : targets.entrySet()) {
                    List<Long> hooks = new ArrayList<>();
                    for (int i = 0; target.getValue() != null && i < 3; i++) {
                        hooks.add(create(api, target.getValue()));
                    }
                    micros.get(target.getKey()).addAll(book(api, fixtures, salon, email, day, slot, PER_TURN));
                    slot += PER_TURN;
                    hooks.forEach(id -> api.admin("DELETE", "/api/v1/admin/webhooks/" + id, null));
                }
            }
            StringBuilder out = new StringBuilder("## Booking latency and webhook receivers, ").append(LocalDate.now())
                    .append("\n\n| webhooks (").append(ROUNDS * PER_TURN).append(" bookings each, one after another, "
                            + "in turns; PostgreSQL) | p50 ms | p95 ms | max ms | p50 / none |\n|---|---|---|---|---|\n");
            double none = percentile(micros.get("none"), 0.5);
            micros.forEach((name, values) -> out.append(String.format(Locale.ROOT,
                    "| %s | %.1f | %.1f | %.1f | %.2f |%n", name, percentile(values, 0.5) / 1000.0,
                    percentile(values, 0.95) / 1000.0, percentile(values, 1.0) / 1000.0,
                    percentile(values, 0.5) / none)));
            return out.toString();
        }
    }

    private static long create(Api api, String url) {
        Api.Response created = api.admin("POST", "/api/v1/admin/webhooks", Map.of("url", url,
                "events", List.of("booking.confirmed", "booking.rescheduled", "booking.cancelled")));
        if (created.status() != 201) {
            throw new IllegalStateException(created.toString());
        }
        return created.json().get("id").asLong();
    }

    /** Makes {@code count} bookings one after another from the given 5-minute slot on; returns each one's time. */
    private static List<Long> book(Api api, Fixtures fixtures, Fixtures.Salon salon, String email, LocalDate day,
            int firstSlot, int count) {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Starts from 00:00 to 23:50, every 5 minutes (a 5-minute service must end by 23:55), then the next day.
            int slot = firstSlot + i;
            LocalDate date = day.plusDays(slot / SLOTS_A_DAY);
            int minutes = (slot % SLOTS_A_DAY) * 5;
            String time = String.format("%02d:%02d", minutes / 60, minutes % 60);
            Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                    salon.start(date, time));
            if (hold.status() != 201) {
                throw new IllegalStateException(hold.toString());
            }
            JsonNode held = hold.json();
            fixtures.session(email);
            long started = System.nanoTime();
            Api.Response booked = fixtures.book(held, email);
            micros.add((System.nanoTime() - started) / 1_000);
            if (booked.status() != 201) {
                throw new IllegalStateException(booked.toString());
            }
        }
        return micros;
    }

    private static double percentile(List<Long> values, double rank) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * rank)));
    }
}
