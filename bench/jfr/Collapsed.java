import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads an async-profiler recording in collapsed form with thread names ({@code collapsed,threads}: one line per
 * distinct stack, {@code [thread];frame;frame;... samples}, root first), as scripts/bench-booking writes with
 * PROFILE=<label>, and prints Markdown tables: samples by thread group (request threads, Redis client, GC, JIT...),
 * the frames with the most self time, and, for the request threads, the methods on the most stacks (inclusive: a
 * method counted once per stack however deep it recurses). Run: {@code java bench/jfr/Collapsed.java <file>
 * [rows] [filter]} (a single-file source program); the optional filter keeps only stacks containing that text
 * (e.g. {@code Bookings.confirm}) for the inclusive table.
 */
public final class Collapsed {

    private static final Pattern DIGITS = Pattern.compile("[-#]?\\d+");

    public static void main(String[] args) throws Exception {
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String filter = args.length > 2 ? args[2] : null;
        Map<String, Long> byGroup = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        long total = 0;
        long request = 0;
        long filtered = 0;
        try (Stream<String> lines = Files.lines(Path.of(args[0]))) {
            for (String line : (Iterable<String>) lines::iterator) {
                int space = line.lastIndexOf(' ');
                if (space < 0) {
                    continue;
                }
                long samples = Long.parseLong(line.substring(space + 1));
                String[] frames = line.substring(0, space).split(";");
                String thread = frames[0].startsWith("[") ? frames[0].substring(1, frames[0].length() - 1) : "?";
                String group = group(thread);
                total += samples;
                byGroup.merge(group, samples, Long::sum);
                self.merge(frames[frames.length - 1], samples, Long::sum);
                if (group.equals("request threads (http-nio)")) {
                    request += samples;
                    if (filter != null && !line.contains(filter)) {
                        continue;
                    }
                    filtered += samples;
                    Set<String> seen = new HashSet<>();
                    for (int i = 1; i < frames.length; i++) {
                        if (seen.add(frames[i])) {
                            inclusive.merge(frames[i], samples, Long::sum);
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%,d samples in all, %,d on request threads%s.%n%n", total, request,
                filter == null ? "" : String.format(Locale.ROOT, " (%,d of them through `%s`)", filtered, filter));
        table("thread group", byGroup, total, rows);
        table("top frame (self)", self, total, rows);
        table("request threads: frame on the stack (inclusive)", inclusive, request, rows * 2);
    }

    private static String group(String thread) {
        if (thread.startsWith("http-nio")) {
            return thread.contains("Poller") || thread.contains("Acceptor") ? "Tomcat poller/acceptor"
                    : "request threads (http-nio)";
        }
        if (thread.startsWith("lettuce") || thread.contains("epoll")) {
            return "Redis client (lettuce, netty)";
        }
        if (thread.contains("C2 Compiler") || thread.contains("C1 Compiler")) {
            return "JIT compiler";
        }
        if (thread.startsWith("G1") || thread.startsWith("GC") || thread.contains("Parallel GC")
                || thread.contains("Concurrent Mark") || thread.contains("Refine")) {
            return "GC";
        }
        return DIGITS.matcher(thread).replaceAll("#");
    }

    private static void table(String title, Map<String, Long> counts, long total, int rows) {
        System.out.println("| " + title + " | samples | share |");
        System.out.println("|---|---|---|");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(rows)
                .forEach(e -> System.out.printf(Locale.ROOT, "| `%s` | %,d | %.1f %% |%n", e.getKey(), e.getValue(),
                        100.0 * e.getValue() / Math.max(total, 1)));
        System.out.println();
    }

    private Collapsed() {
    }
}
