package io.holdfast.notification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
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
 * server on PostgreSQL; the same number of bookings, one after another, with no webhook, with three webhooks whose
 * receiver accepts the connection and never answers (every job thread ends up waiting for its 10 s timeout), and with
 * three whose receiver is down (connection refused). Only the booking request is timed (the hold is made before).
 * Part of {@code Benchmarks} ({@code HOLDFAST_BENCH=webhooks}).
 */
public final class WebhookBenchmark {

    private static final int BOOKINGS = 60;
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
        StringBuilder out = new StringBuilder("## Booking latency and webhook receivers, ").append(LocalDate.now())
                .append("\n\n| webhooks (").append(BOOKINGS).append(" bookings one after another, PostgreSQL) |"
                        + " p50 ms | p95 ms | max ms |\n|---|---|---|---|\n");
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
            int slot = 0;
            measure("warm-up", api, fixtures, salon, email, day, slot); // JIT, pools and caches; not shown
            slot += BOOKINGS;
            out.append(measure("none", api, fixtures, salon, email, day, slot));
            slot += BOOKINGS;
            List<Long> hooks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                hooks.add(create(api, "http://127.0.0.1:" + hanging.port() + "/hook"));
            }
            out.append(measure("3 to a receiver that never answers", api, fixtures, salon, email, day, slot));
            slot += BOOKINGS;
            hooks.forEach(id -> api.admin("DELETE", "/api/v1/admin/webhooks/" + id, null));
            int dead = hanging.port() + 1;
            for (int i = 0; i < 3; i++) {
                create(api, "http://127.0.0.1:" + dead + "/hook");
            }
            out.append(measure("3 to a receiver that is down", api, fixtures, salon, email, day, slot));
        }
        return out.toString();
    }

    private static long create(Api api, String url) {
        Api.Response created = api.admin("POST", "/api/v1/admin/webhooks", Map.of("url", url,
                "events", List.of("booking.confirmed", "booking.rescheduled", "booking.cancelled")));
        if (created.status() != 201) {
            throw new IllegalStateException(created.toString());
        }
        return created.json().get("id").asLong();
    }

    /** One table row: the latency of {@link #BOOKINGS} bookings made one after another. */
    private static String measure(String name, Api api, Fixtures fixtures, Fixtures.Salon salon, String email,
            LocalDate day, int firstSlot) {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < BOOKINGS; i++) {
            int minutes = (firstSlot + i) * 5;
            LocalDate date = day.plusDays(minutes / (24 * 60));
            String time = String.format("%02d:%02d", (minutes / 60) % 24, minutes % 60);
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
        Collections.sort(micros);
        return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", name,
                micros.get(micros.size() / 2) / 1000.0, micros.get((int) (micros.size() * 0.95)) / 1000.0,
                micros.get(micros.size() - 1) / 1000.0);
    }
}
