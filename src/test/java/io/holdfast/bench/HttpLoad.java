package io.holdfast.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A small HTTP load driver: {@code clients} threads send requests back to back for {@code duration} (or until
 * {@code maxRequests} were sent), each timing its own requests. Loopback only: it refuses any other host, so it can
 * never load a server it was not meant for.
 */
public final class HttpLoad {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newCachedThreadPool()).build();

    private HttpLoad() {
    }

    /** One request of the load: what to send, and whether it is a read (for mixed loads). */
    public record Call(String method, URI uri, String body, String... headers) {

        public static Call get(String url, String... headers) {
            return new Call("GET", URI.create(url), null, headers);
        }
    }

    public record Result(String name, int clients, long requests, long failures, double seconds, double p50Millis,
            double p99Millis, double perSecond) {

        String row() {
            return String.format(java.util.Locale.ROOT, "| %s | %d | %,d | %.2f | %.2f | %,.0f | %d |", name, clients,
                    requests, p50Millis, p99Millis, perSecond, failures);
        }
    }

    /**
     * Runs the load. {@code next} makes request number n (0, 1, 2, ...; shared across clients); it may return null
     * when there is nothing left to send (the run then ends for that client).
     */
    public static Result run(String name, int clients, Duration duration, long maxRequests, LongFunction<Call> next)
            throws Exception {
        AtomicLong sequence = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<long[]>> timings = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            timings.add(pool.submit(() -> {
                long[] own = new long[1024];
                int n = 0;
                while (System.nanoTime() < deadline) {
                    long number = sequence.getAndIncrement();
                    if (number >= maxRequests) {
                        break;
                    }
                    Call call = next.apply(number);
                    if (call == null) {
                        break;
                    }
                    long sent = System.nanoTime();
                    if (!send(call)) {
                        failures.incrementAndGet();
                    }
                    if (n == own.length) {
                        own = Arrays.copyOf(own, n * 2);
                    }
                    own[n++] = System.nanoTime() - sent;
                }
                return Arrays.copyOf(own, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> timing : timings) {
            all.add(timing.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(name, clients, merged.length, failures.get(), seconds, percentile(merged, 0.5),
                percentile(merged, 0.99), merged.length / seconds);
    }

    private static boolean send(Call call) {
        try {
            return sendOnce(call).statusCode() < 500;
        } catch (IOException failed) {
            return false;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static HttpResponse<String> sendOnce(Call call) throws IOException, InterruptedException {
        String host = call.uri().getHost();
        if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
            throw new IllegalArgumentException("HttpLoad only talks to loopback, not " + host);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(call.uri()).timeout(Duration.ofSeconds(30))
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        if (call.body() != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < call.headers().length; i += 2) {
            request.header(call.headers()[i], call.headers()[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, index)] / 1e6;
    }
}
