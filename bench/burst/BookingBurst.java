import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A burst of bookings that all arrive at once (scripts/burst): {@code clients} guests each hold a slot of their own
 * first (one at a time, 16 in parallel), then every one of them sends its booking in the same instant. Prints one
 * line: how many answered what, and the latencies of the 201s and of the 503s (ms), and the burst's wall time.
 *
 * <p>{@code java bench/burst/BookingBurst.java <base url> <session> <email> <serviceId> <staffIds,...> <first day
 * epoch s> <clients> <first slot>}: slots are numbered from {@code first slot} across the staff, 24 a day (08:00 to
 * 20:00, every 30 min), so rounds with different {@code first slot}s never meet.
 */
public class BookingBurst {

    private static final Pattern HOLD_ID = Pattern.compile("\"holdId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final java.util.concurrent.atomic.AtomicReference<String> FIRST_FAILURE =
            new java.util.concurrent.atomic.AtomicReference<>();
    private static final DateTimeFormatter START = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    public static void main(String[] argv) throws Exception {
        String base = argv[0];
        String session = argv[1];
        String email = argv[2];
        long service = Long.parseLong(argv[3]);
        long[] staff = Arrays.stream(argv[4].split(",")).mapToLong(Long::parseLong).toArray();
        long firstDay = Long.parseLong(argv[5]);
        int clients = Integer.parseInt(argv[6]);
        int firstSlot = Integer.parseInt(argv[7]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

        String[][] holds = new String[clients][];
        try (ExecutorService placing = Executors.newFixedThreadPool(16)) {
            List<Future<?>> placed = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int client = i;
                placed.add(placing.submit(() -> {
                    int slot = firstSlot + client;
                    long staffId = staff[slot % staff.length];
                    int inStaff = slot / staff.length;
                    long start = firstDay + (inStaff / 24) * 86400L + 8 * 3600L + (inStaff % 24) * 1800L;
                    String body = "{\"clientId\":\"burst-" + UUID.randomUUID() + "\",\"staffId\":" + staffId
                            + ",\"serviceId\":" + service + ",\"start\":\""
                            + START.format(Instant.ofEpochSecond(start).atOffset(ZoneOffset.UTC)) + "\"}";
                    HttpResponse<String> hold = send(http, base + "/api/v1/holds", body, address(client), null);
                    if (hold.statusCode() != 201) {
                        throw new IllegalStateException("hold " + hold.statusCode() + " " + hold.body());
                    }
                    holds[client] = new String[] {match(HOLD_ID, hold.body()), match(TOKEN, hold.body())};
                    return null;
                }));
            }
            for (Future<?> hold : placed) {
                hold.get();
            }
        }

        // A client of its own for the burst: the holding phase's pooled connections have served many requests, and
        // Tomcat closes one after its 100th (maxKeepAliveRequests); a booking sent on one as it closes got no answer
        // ("header parser received no bytes"), an artefact of the driver, not an answer of the server.
        HttpClient burstHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        CountDownLatch go = new CountDownLatch(1);
        long[] millis = new long[clients];
        int[] status = new int[clients];
        long burstStart;
        try (ExecutorService guests = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int client = i;
                sent.add(guests.submit(() -> {
                    String body = "{\"holdId\":\"" + holds[client][0] + "\",\"holdToken\":\"" + holds[client][1]
                            + "\",\"customer\":{\"name\":\"Burst\",\"email\":\"" + email + "\"}}";
                    go.await();
                    long started = System.nanoTime();
                    int answer;
                    try {
                        answer = send(burstHttp, base + "/api/v1/bookings", body, address(client), session)
                                .statusCode();
                    } catch (Exception failed) {
                        answer = -1; // no HTTP answer: counted as -1, the first one's reason printed
                        if (FIRST_FAILURE.compareAndSet(null, failed.toString())) {
                            System.err.println("first request without an answer: " + failed);
                        }
                    }
                    millis[client] = (System.nanoTime() - started) / 1_000_000;
                    status[client] = answer;
                    return null;
                }));
            }
            Thread.sleep(500); // every guest waiting at the latch
            burstStart = System.nanoTime();
            go.countDown();
            for (Future<?> booking : sent) {
                booking.get();
            }
        }
        long wall = (System.nanoTime() - burstStart) / 1_000_000;
        Map<Integer, Integer> counts = new TreeMap<>();
        List<Long> booked = new ArrayList<>();
        List<Long> refused = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            counts.merge(status[i], 1, Integer::sum);
            (status[i] == 201 ? booked : refused).add(millis[i]);
        }
        System.out.printf("clients=%d answers=%s wall=%dms booked[p50=%s p99=%s max=%s] others[p50=%s p99=%s max=%s]%n",
                clients, counts, wall, pct(booked, 50), pct(booked, 99), pct(booked, 100), pct(refused, 50),
                pct(refused, 99), pct(refused, 100));
    }

    private static HttpResponse<String> send(HttpClient http, String url, String body, String address,
            String session) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Authorization", "Bearer " + session).header("Idempotency-Key", UUID.randomUUID().toString());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A client network of its own per guest (RFC 2544's range), so per-address limits count each guest alone. */
    private static String address(int client) {
        return "198.19." + ((client >> 8) & 0xff) + "." + (client & 0xff);
    }

    private static String match(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + pattern + " in " + body);
        }
        return matcher.group(1);
    }

    private static String pct(List<Long> values, int p) {
        if (values.isEmpty()) {
            return "-";
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return Long.toString(sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))));
    }
}
