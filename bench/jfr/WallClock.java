import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the request threads of a JFR recording waited (wall clock, not CPU): every jdk.ThreadPark, jdk.SocketRead,
 * jdk.SocketWrite, jdk.JavaMonitorEnter, jdk.JavaMonitorWait and jdk.ThreadSleep of a Tomcat request thread
 * ({@code http-nio-*}), summed by what it waited for (the database's socket, Redis's reply, a pool's connection, a
 * monitor) and by the Holdfast method nearest to the wait. Record with bench/jfr/booking.jfc (thresholds 0 ms), else
 * the short waits, which are most of them, are missing. Run: {@code java bench/jfr/WallClock.java <recording.jfr>
 * [rows] [database port]} (a single-file source program, no build).
 */
public final class WallClock {

    private record Key(String what, String where) {
    }

    private static final class Total {
        long events;
        long nanos;
        long maxNanos;

        void add(Duration d) {
            events++;
            nanos += d.toNanos();
            maxNanos = Math.max(maxNanos, d.toNanos());
        }
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        int databasePort = args.length > 2 ? Integer.parseInt(args[2]) : 5432;
        Map<Key, Total> byPlace = new HashMap<>();
        Map<String, Total> byKind = new HashMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = event.getEventType().getName();
            if (!type.matches("jdk\\.(ThreadPark|SocketRead|SocketWrite|JavaMonitorEnter|JavaMonitorWait|ThreadSleep)")
                    || event.getThread() == null || event.getThread().getJavaName() == null
                    || !event.getThread().getJavaName().startsWith("http-nio")) {
                continue;
            }
            String what = what(event, type, databasePort);
            if (what == null) {
                continue; // a request thread waiting for its next request (Tomcat's task queue)
            }
            Key key = new Key(what, nearestHoldfast(event.getStackTrace()));
            byPlace.computeIfAbsent(key, k -> new Total()).add(event.getDuration());
            byKind.computeIfAbsent(what.replaceAll(" \\(.*", ""), k -> new Total()).add(event.getDuration());
        }
        System.out.println("| waited for (request threads) | events | total ms | max ms |");
        System.out.println("|---|---|---|---|");
        byKind.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().nanos, a.getValue().nanos))
                .forEach(e -> System.out.printf(Locale.ROOT, "| %s | %,d | %,.0f | %,.1f |%n", e.getKey(),
                        e.getValue().events, e.getValue().nanos / 1e6, e.getValue().maxNanos / 1e6));
        System.out.println();
        System.out.println("| waited for | nearest Holdfast frame | events | total ms | max ms |");
        System.out.println("|---|---|---|---|---|");
        List<Map.Entry<Key, Total>> sorted = new ArrayList<>(byPlace.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue().nanos, a.getValue().nanos));
        sorted.stream().limit(rows).forEach(e -> System.out.printf(Locale.ROOT, "| %s | `%s` | %,d | %,.0f | %,.1f |%n",
                e.getKey().what(), e.getKey().where(), e.getValue().events, e.getValue().nanos / 1e6,
                e.getValue().maxNanos / 1e6));
    }

    /** What the thread waited for, or null when it waited for work. */
    private static String what(RecordedEvent event, String type, int databasePort) {
        RecordedStackTrace stack = event.getStackTrace();
        String frames = stack == null ? "" : String.join(" ", stack.getFrames().stream().limit(40)
                .map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName()).toList());
        switch (type) {
            case "jdk.SocketRead", "jdk.SocketWrite" -> {
                int port = event.getInt("port");
                String verb = type.endsWith("Read") ? "read" : "write";
                if (port == databasePort) {
                    return "database socket " + verb;
                }
                return frames.contains("org.apache.tomcat") || frames.contains("org.apache.coyote")
                        ? null : "socket " + verb + " (:" + port + ")";
            }
            case "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait" -> {
                return "monitor (" + event.getClass("monitorClass").getName() + ")";
            }
            case "jdk.ThreadSleep" -> {
                return "sleep";
            }
            default -> {
                if (frames.contains("org.apache.tomcat.util.threads.TaskQueue")) {
                    return null;
                }
                if (frames.contains("com.zaxxer.hikari")) {
                    return "connection pool";
                }
                if (frames.contains("io.lettuce") || frames.contains("org.springframework.data.redis")) {
                    return "Redis reply";
                }
                var parked = event.getClass("parkedClass");
                return "park (" + (parked == null ? "?" : parked.getName()) + ")";
            }
        }
    }

    private static String nearestHoldfast(RecordedStackTrace stack) {
        if (stack == null) {
            return "-";
        }
        for (RecordedFrame frame : stack.getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("io.holdfast.") && !type.contains("$$")) {
                return type.substring("io.holdfast.".length()) + "." + frame.getMethod().getName();
            }
        }
        return "-";
    }
}
