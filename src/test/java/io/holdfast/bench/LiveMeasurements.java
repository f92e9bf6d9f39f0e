package io.holdfast.bench;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Instance;
import io.holdfast.support.RedisServer;
import io.holdfast.support.SseClient;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Live updates, measured on two instances sharing a private Redis and an H2 database: the latency of a slot event
 * from the hold request on instance A to its arrival at a viewer on instance B while 1,000 viewers watch that day on
 * B; and the throughput of an unchanged heartbeat poll against a no-op endpoint of the same server. Part of
 * {@link Benchmarks}.
 */
final class LiveMeasurements {

    /** The no-op endpoint the poll is compared with: the same server, filters and HTTP path, no work. */
    @RestController
    static class NoOp {
        @GetMapping("/bench/no-op")
        ResponseEntity<Void> noOp() {
            return ResponseEntity.noContent().build();
        }
    }

    record Result(int viewers, int events, double fromRequestP50, double fromRequestP99, double fromResponseP50,
            double fromResponseP99, HttpLoad.Result poll, HttpLoad.Result noOp) {
    }

    static Result run(int viewers, int events) throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            String[] shared = {"--spring.data.redis.url=" + redis.url(),
                    "--spring.datasource.url=jdbc:h2:mem:bench-live;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
                    "--holdfast.live.max-streams-per-ip=5000", "--holdfast.hold.max-slots-per-client=1000", "--holdfast.hold.max-slots-per-address=1000000", "--holdfast.hold.requests-per-address=100000000",
                    "--logging.level.root=WARN", "--spring.main.sources=" + NoOp.class.getName()};
            try (Instance a = Instance.start(shared); Instance b = Instance.start(shared)) {
                Fixtures fixtures = a.fixtures();
                var salon = fixtures.salon("Europe/Berlin", 5, 5, 0, 0, "00:00", "23:55");
                LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
                String stream = b.url("/api/v1/live/stream?staffId=" + salon.staffId() + "&date=" + day);
                List<SseClient> watchers = new ArrayList<>();
                for (int i = 0; i < viewers; i++) {
                    watchers.add(SseClient.open(stream));
                }
                for (SseClient watcher : watchers) {
                    watcher.awaitStatus(Duration.ofSeconds(60));
                }
                Thread.sleep(500);
                SseClient timed = watchers.get(0);
                double[] fromRequest = new double[events];
                double[] fromResponse = new double[events];
                String client = Fixtures.clientId();
                for (int i = 0; i < events; i++) {
                    int minutes = 5 * i;
                    long sent = System.nanoTime();
                    Api.Response hold = fixtures.hold(client, salon.staffId(), salon.serviceId(),
                            salon.start(day, String.format("%02d:%02d", minutes / 60, minutes % 60)));
                    long answered = System.nanoTime();
                    if (hold.status() != 201) {
                        throw new IllegalStateException("hold refused: " + hold);
                    }
                    SseClient.Event event = timed.next("slot", Duration.ofSeconds(10));
                    if (event == null) {
                        throw new IllegalStateException("event " + i + " did not arrive");
                    }
                    fromRequest[i] = (event.receivedNanos() - sent) / 1e6;
                    fromResponse[i] = (event.receivedNanos() - answered) / 1e6;
                }
                watchers.forEach(SseClient::close);

                String poll = b.url("/api/v1/live/poll?staffId=" + salon.staffId() + "&date=" + day);
                long version = b.api().get(poll.substring(poll.indexOf("/api"))).json().get("version").asLong();
                String unchanged = poll + "&since=" + version;
                String noOp = b.url("/bench/no-op");
                HttpLoad.run("warm-up", 8, Duration.ofSeconds(3), 1_000_000, n -> HttpLoad.Call.get(unchanged));
                HttpLoad.run("warm-up", 8, Duration.ofSeconds(3), 1_000_000, n -> HttpLoad.Call.get(noOp));
                HttpLoad.Result polls = HttpLoad.run("unchanged poll", 8, Duration.ofSeconds(8), 1_000_000,
                        n -> HttpLoad.Call.get(unchanged));
                HttpLoad.Result noOps = HttpLoad.run("no-op endpoint", 8, Duration.ofSeconds(8), 1_000_000,
                        n -> HttpLoad.Call.get(noOp));
                return new Result(viewers, events, percentile(fromRequest, 0.5), percentile(fromRequest, 0.99),
                        percentile(fromResponse, 0.5), percentile(fromResponse, 0.99), polls, noOps);
            }
        }
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
