import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load driver of scripts/drill (issue #13's resilience drills): a bounded HTTP load on loopback that counts
 * every answer by kind and status, writes the id of every acknowledged (201) booking to {@code bookings.tsv}, and
 * polls {@code /api/v1/health} of every instance every 50 ms, writing each change of (HTTP status, status,
 * storageMode) with the time its answer arrived to {@code transitions.tsv}; the script compares these with the database and with the
 * times it killed and restarted servers. Run by the script with the JDK's source launcher
 * ({@code java bench/drill/DrillLoad.java key=value ...}); it needs nothing beyond the JDK.
 *
 * <p>Modes: {@code mixed} (each client in a loop: 55 % availability reads and 30 % unchanged polls of a few cached
 * days, 15 % holds of a random slot, 70 % of them booked and the rest released) and {@code race} (clients in lanes
 * of {@code lane} clients; a lane's clients all hold and book the same slot of their lane's staff member, and move on
 * to the next slot together once it is booked). Each request comes from its own client address
 * ({@code X-Forwarded-For}, the servers run with {@code server.forward-headers-strategy=native}) and clientId, so the
 * per-address hold limits do not refuse the load.
 *
 * <p>Arguments: {@code urls} (comma-separated base URLs, used in turn), {@code health} (comma-separated base URLs
 * of the instances to poll; default {@code urls}), {@code mode}, {@code seconds}, {@code clients}, {@code lane},
 * {@code staff} (comma-separated ids), {@code service}, {@code base} (epoch second of the first day's midnight, UTC),
 * {@code days}, {@code firstHour}, {@code slots} (30-minute slots a day), {@code session}, {@code email},
 * {@code out} (directory for summary.json, bookings.tsv, transitions.tsv).
 */
public final class DrillLoad {

    private static final DateTimeFormatter START = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
    private static final Pattern HOLD_ID = Pattern.compile("\"holdId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern BOOKING_ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*(\\d+)");
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STORAGE_MODE = Pattern.compile("\"storageMode\"\\s*:\\s*\"([^\"]+)\"");

    private final Map<String, String> args;
    private final List<String> urls;
    private final List<String> health;
    private final long[] staff;
    private final long service;
    private final long base;
    private final int days;
    private final int firstHour;
    private final int slots;
    private final String session;
    private final String email;
    private final Path out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger nextUrl = new AtomicInteger();
    private final AtomicLong nextAddress = new AtomicLong();
    private final AtomicLong nextId = new AtomicLong();
    private final long runId = System.currentTimeMillis();

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, String> samples = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder unavailableWithRetryAfter = new LongAdder();
    private final LongAdder unavailableWithoutRetryAfter = new LongAdder();
    private final LongAdder otherServerErrors = new LongAdder();
    private final LongAdder raceContention = new LongAdder();
    private final LongAdder raceSkipped = new LongAdder();
    private final PrintWriter bookings;
    private final PrintWriter transitions;
    private final Map<Long, Long> versions = new ConcurrentHashMap<>();
    private volatile long deadline;
    private volatile boolean slotsExhausted;

    private DrillLoad(Map<String, String> args) throws IOException {
        this.args = args;
        this.urls = Arrays.asList(need("urls").split(","));
        this.health = Arrays.asList(args.getOrDefault("health", need("urls")).split(","));
        this.staff = Arrays.stream(need("staff").split(",")).mapToLong(Long::parseLong).toArray();
        this.service = Long.parseLong(need("service"));
        this.base = Long.parseLong(need("base"));
        this.days = Integer.parseInt(args.getOrDefault("days", "30"));
        this.firstHour = Integer.parseInt(args.getOrDefault("firstHour", "8"));
        this.slots = Integer.parseInt(args.getOrDefault("slots", "24"));
        this.session = need("session");
        this.email = need("email");
        this.out = Path.of(need("out"));
        Files.createDirectories(out);
        this.bookings = new PrintWriter(Files.newBufferedWriter(out.resolve("bookings.tsv")), true);
        this.transitions = new PrintWriter(Files.newBufferedWriter(out.resolve("transitions.tsv")), true);
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            args.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        new DrillLoad(args).run();
    }

    private String need(String key) {
        String value = args.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing argument " + key + "=...");
        }
        return value;
    }

    private void run() throws Exception {
        String mode = need("mode");
        int seconds = Integer.parseInt(need("seconds"));
        int clients = Integer.parseInt(need("clients"));
        long started = System.currentTimeMillis();
        deadline = started + seconds * 1000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < health.size(); i++) {
            int instance = i;
            threads.add(daemon("health-" + i, () -> pollHealth(instance)));
        }
        int laneSize = Integer.parseInt(args.getOrDefault("lane", "8"));
        List<Lane> lanes = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Runnable client;
            if (mode.equals("race")) {
                int lane = i / laneSize;
                if (lane >= staff.length) {
                    throw new IllegalArgumentException("race: " + clients + " clients in lanes of " + laneSize
                            + " need " + ((clients + laneSize - 1) / laneSize) + " staff, got " + staff.length);
                }
                while (lanes.size() <= lane) {
                    lanes.add(new Lane(staff[lanes.size()]));
                }
                Lane own = lanes.get(lane);
                client = () -> race(own);
            } else if (mode.equals("mixed")) {
                client = this::mixed;
            } else {
                throw new IllegalArgumentException("mode: mixed or race, got " + mode);
            }
            threads.add(daemon("client-" + i, client));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(seconds * 1000L + 30_000);
        }
        long ended = System.currentTimeMillis();
        bookings.close();
        transitions.close();
        Files.writeString(out.resolve("summary.json"), summary(mode, clients, started, ended));
        System.out.println(Files.readString(out.resolve("summary.json")));
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    // ----- the load -----

    private boolean running() {
        return System.currentTimeMillis() < deadline && !slotsExhausted;
    }

    private void mixed() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // Reads go to a few days of the first three staff, so that they are served from the cache, as a page
        // open on a day reads it; writes go anywhere.
        int readStaff = Math.min(3, staff.length);
        while (running()) {
            double r = random.nextDouble();
            long staffId = staff[random.nextInt(readStaff)];
            int day = random.nextInt(Math.min(3, days));
            String date = Instant.ofEpochSecond(base + day * 86400L).atOffset(ZoneOffset.UTC).toLocalDate().toString();
            if (r < 0.55) {
                Answer a = send("availability", get("/api/v1/availability?staffId=" + staffId + "&serviceId=" + service
                        + "&date=" + date + "&clientId=drill-reader-1"));
                if (a.status == 200) {
                    Matcher m = VERSION.matcher(a.body);
                    if (m.find()) {
                        versions.put(staffId * 1000 + day, Long.parseLong(m.group(1)));
                    }
                }
            } else if (r < 0.85) {
                long since = versions.getOrDefault(staffId * 1000 + day, 0L);
                send("poll", get("/api/v1/live/poll?staffId=" + staffId + "&date=" + date
                        + "&clientId=drill-reader-1&since=" + since));
            } else {
                long writer = staff[random.nextInt(staff.length)];
                int slot = random.nextInt(days * slots);
                String address = address();
                Answer hold = hold(writer, slot, address);
                if (hold.status == 201) {
                    if (random.nextDouble() < 0.7) {
                        book(hold, address);
                    } else {
                        release(hold, address);
                    }
                }
            }
        }
    }

    /** The slots of one staff member, raced for by the lane's clients in order. */
    private static final class Lane {
        final long staffId;
        final AtomicInteger cursor = new AtomicInteger();
        volatile int heldCursor = -1;
        volatile long heldSince;

        Lane(long staffId) {
            this.staffId = staffId;
        }
    }

    private void race(Lane lane) {
        while (running()) {
            int c = lane.cursor.get();
            if (c >= days * slots) {
                slotsExhausted = true;
                return;
            }
            String address = address();
            Answer hold = hold(lane.staffId, c, address);
            if (hold.status == 201) {
                Answer booked = book(hold, address);
                if (booked.status == 201 || booked.status == 409 || booked.status == 410) {
                    lane.cursor.compareAndSet(c, c + 1);
                }
                if (booked.status != 201) {
                    release(hold, address);
                }
            } else if (hold.status == 409) {
                String code = match(CODE, hold.body);
                if ("slot_held".equals(code)) {
                    raceContention.increment();
                    // A hold whose holder never books (its answer lost, or its booking failed) would keep the lane
                    // on this slot for its whole lease: after 5 s on one slot the lane moves on.
                    if (lane.heldCursor != c) {
                        lane.heldCursor = c;
                        lane.heldSince = System.currentTimeMillis();
                    } else if (System.currentTimeMillis() - lane.heldSince > 5000 && lane.cursor.compareAndSet(c, c + 1)) {
                        raceSkipped.increment();
                    }
                    pause(2);
                } else {
                    lane.cursor.compareAndSet(c, c + 1); // booked, or not bookable (too soon)
                }
            } else {
                pause(50);
            }
        }
    }

    private Answer hold(long staffId, int slot, String address) {
        long epoch = base + (long) (slot / slots) * 86400 + firstHour * 3600L + (slot % slots) * 1800L;
        String start = Instant.ofEpochSecond(epoch).atOffset(ZoneOffset.UTC).format(START);
        String body = "{\"clientId\":\"" + unique("c") + "\",\"staffId\":" + staffId + ",\"serviceId\":" + service
                + ",\"start\":\"" + start + "\"}";
        return send("hold", json("POST", "/api/v1/holds", body).header("Idempotency-Key", unique("hold"))
                .header("X-Forwarded-For", address));
    }

    private Answer book(Answer hold, String address) {
        String body = "{\"holdId\":\"" + match(HOLD_ID, hold.body) + "\",\"holdToken\":\"" + match(TOKEN, hold.body)
                + "\",\"customer\":{\"name\":\"Drill Guest\",\"email\":\"" + email + "\"}}";
        Answer a = send("book", json("POST", "/api/v1/bookings", body).header("Idempotency-Key", unique("book"))
                .header("Authorization", "Bearer " + session).header("X-Forwarded-For", address));
        if (a.status == 201) {
            Matcher m = BOOKING_ID.matcher(a.body);
            synchronized (bookings) {
                while (m.find()) {
                    acknowledged.increment();
                    bookings.println(m.group(1) + "\t" + System.currentTimeMillis() + "\t" + a.url);
                }
            }
        }
        return a;
    }

    private void release(Answer hold, String address) {
        send("release", request("/api/v1/holds/" + match(HOLD_ID, hold.body)).DELETE()
                .header("Hold-Token", match(TOKEN, hold.body)).header("X-Forwarded-For", address));
    }

    // ----- HTTP -----

    private record Answer(int status, String body, String url) {
    }

    private String url() {
        return urls.get(Math.floorMod(nextUrl.getAndIncrement(), urls.size()));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(15));
    }

    private HttpRequest.Builder get(String path) {
        return request(path).GET();
    }

    private HttpRequest.Builder json(String method, String path, String body) {
        return request(path).method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
    }

    private String address() {
        long n = nextAddress.incrementAndGet();
        return "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    private String unique(String prefix) {
        return prefix + "-" + runId + "-" + nextId.incrementAndGet();
    }

    private Answer send(String kind, HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        String base = request.uri().getScheme() + "://" + request.uri().getAuthority();
        long t0 = System.nanoTime();
        String status;
        Answer answer;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            answer = new Answer(response.statusCode(), response.body(), base);
            status = String.valueOf(response.statusCode());
            if (response.statusCode() == 503) {
                if (response.headers().firstValue("Retry-After").isPresent()) {
                    unavailableWithRetryAfter.increment();
                } else {
                    unavailableWithoutRetryAfter.increment();
                }
            } else if (response.statusCode() >= 500) {
                otherServerErrors.increment();
            }
            if (response.statusCode() >= 500 || response.statusCode() == 400 || response.statusCode() == 401
                    || response.statusCode() == 403 || response.statusCode() == 429) {
                samples.putIfAbsent(kind + " " + status, response.body().length() > 300
                        ? response.body().substring(0, 300) : response.body());
            }
        } catch (IOException e) {
            status = "io";
            answer = new Answer(-1, "", base);
            samples.putIfAbsent(kind + " io", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long micros = (System.nanoTime() - t0) / 1000;
        requests.increment();
        counts.computeIfAbsent(kind + " " + status, k -> new LongAdder()).increment();
        List<Long> list = latencies.computeIfAbsent(kind, k -> new ArrayList<>());
        synchronized (list) {
            list.add(micros);
        }
        return answer;
    }

    private static String match(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        return m.find() ? m.group(1) : "";
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ----- health -----

    private void pollHealth(int instance) {
        URI uri = URI.create(health.get(instance) + "/api/v1/health");
        String previous = null;
        while (System.currentTimeMillis() < deadline) {
            long t = System.currentTimeMillis();
            String state;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString());
                state = r.statusCode() + "\t" + match(STATUS, r.body()) + "\t" + match(STORAGE_MODE, r.body());
            } catch (IOException e) {
                state = "io\t\t";
            } catch (InterruptedException e) {
                return;
            }
            if (!state.equals(previous)) {
                synchronized (transitions) { // the time the answer arrived: the state is at least that old
                    transitions.println(System.currentTimeMillis() + "\t" + instance + "\t" + state);
                }
                previous = state;
            }
            pause(Math.max(0, 50 - (System.currentTimeMillis() - t)));
        }
    }

    // ----- summary -----

    private String summary(String mode, int clients, long started, long ended) {
        StringBuilder s = new StringBuilder("{");
        s.append("\"mode\":\"").append(mode).append("\",\"clients\":").append(clients)
                .append(",\"started\":").append(started).append(",\"ended\":").append(ended)
                .append(",\"requests\":").append(requests.sum())
                .append(",\"acknowledged\":").append(acknowledged.sum())
                .append(",\"unavailableWithRetryAfter\":").append(unavailableWithRetryAfter.sum())
                .append(",\"unavailableWithoutRetryAfter\":").append(unavailableWithoutRetryAfter.sum())
                .append(",\"otherServerErrors\":").append(otherServerErrors.sum())
                .append(",\"raceContention\":").append(raceContention.sum())
                .append(",\"raceSkipped\":").append(raceSkipped.sum())
                .append(",\"slotsExhausted\":").append(slotsExhausted);
        s.append(",\"counts\":{");
        String sep = "";
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(counts).entrySet()) {
            s.append(sep).append(quote(e.getKey())).append(':').append(e.getValue().sum());
            sep = ",";
        }
        s.append("},\"latency\":{");
        sep = "";
        for (Map.Entry<String, List<Long>> e : new TreeMap<>(latencies).entrySet()) {
            long[] sorted;
            synchronized (e.getValue()) {
                sorted = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            }
            s.append(sep).append(quote(e.getKey())).append(":{\"n\":").append(sorted.length)
                    .append(",\"p50_ms\":").append(percentile(sorted, 50))
                    .append(",\"p99_ms\":").append(percentile(sorted, 99))
                    .append(",\"max_ms\":").append(percentile(sorted, 100)).append('}');
            sep = ",";
        }
        s.append("},\"samples\":{");
        sep = "";
        for (Map.Entry<String, String> e : new TreeMap<>(samples).entrySet()) {
            s.append(sep).append(quote(e.getKey())).append(':').append(quote(e.getValue()));
            sep = ",";
        }
        return s.append("}}\n").toString();
    }

    private static String percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return "null";
        }
        int rank = Math.max(1, (int) Math.ceil(sorted.length * p / 100.0));
        return String.format("%.1f", sorted[rank - 1] / 1000.0);
    }

    private static String quote(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20) {
                s.append(' ');
            } else {
                s.append(c);
            }
        }
        return s.append('"').toString();
    }

}
