import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of scripts/bench as Markdown for docs/benchmarks.md ("Where the time goes"): the top
 * frames of jdk.ExecutionSample (self time), Holdfast's methods on the sampled stacks (inclusive), and lock
 * contention from jdk.JavaMonitorEnter and jdk.ThreadPark grouped by what was waited for and where. Reads the
 * recording with the JDK's own jdk.jfr.consumer API; printing it as JSON first (`jfr print --json`) came to gigabytes.
 * Run: {@code java bench/jfr/JfrSummary.java <recording.jfr> [rows]} (a single-file source program, no build).
 */
public final class JfrSummary {

    /** Parks of threads that wait for work (pool workers, schedulers, event loops): not requests waiting for a lock. */
    private static final Pattern IDLE = Pattern.compile("ThreadPoolExecutor\\.getTask|DelayedWorkQueue\\.take"
            + "|LinkedBlockingQueue\\.(poll|take)|SynchronousQueue|ForkJoinPool\\.awaitWork|TaskQueue\\.(poll|take)"
            + "|LinkedTransferQueue|LinkedBlockingDeque\\.(poll|take)|ArrayBlockingQueue\\.(poll|take)|Thread\\.sleep"
            + "|SingleThreadEventExecutor|NioEventLoop|EpollEventLoop|com\\.github\\.kagkarlsson\\.scheduler");

    private record Wait(String what, String where, String top) {
    }

    private static final class Total {
        long events;
        Duration total = Duration.ZERO;
        Duration max = Duration.ZERO;
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<Wait, Total> waits = new HashMap<>();
        long samples = 0;
        long idle = 0;
        try (RecordingFile recording = new RecordingFile(Path.of(args[0]))) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                List<RecordedFrame> frames = event.getStackTrace() == null ? List.of() : event.getStackTrace().getFrames();
                switch (type) {
                    case "jdk.ExecutionSample" -> {
                        samples++;
                        if (!frames.isEmpty()) {
                            self.merge(name(frames.get(0)), 1L, Long::sum);
                        }
                        Set<String> seen = new HashSet<>();
                        for (RecordedFrame frame : frames) {
                            String name = name(frame);
                            if (name.startsWith("io.holdfast.") && seen.add(name)) {
                                inclusive.merge(name, 1L, Long::sum);
                            }
                        }
                    }
                    case "jdk.JavaMonitorEnter", "jdk.ThreadPark" -> {
                        if (type.equals("jdk.ThreadPark") && frames.stream().anyMatch(f -> IDLE.matcher(name(f)).find())) {
                            idle++;
                            continue;
                        }
                        String field = type.equals("jdk.JavaMonitorEnter") ? "monitorClass" : "parkedClass";
                        jdk.jfr.consumer.RecordedClass waitedFor = event.getValue(field);
                        String what = (type.equals("jdk.JavaMonitorEnter") ? "monitor " : "park ")
                                + (waitedFor == null ? "?" : waitedFor.getName());
                        String where = frames.stream().map(JfrSummary::name).filter(n -> n.startsWith("io.holdfast."))
                                .findFirst().orElse("-");
                        List<String> top = new ArrayList<>();
                        for (RecordedFrame frame : frames) {
                            String name = name(frame);
                            // The first frames outside the JDK's park/lock machinery say what was waited on.
                            if (!name.startsWith("jdk.internal.misc.Unsafe") && !name.startsWith("java.util.concurrent.locks.")
                                    && top.size() < 2) {
                                top.add(name);
                            }
                        }
                        Total total = waits.computeIfAbsent(new Wait(what, where, String.join(" ← ", top)), k -> new Total());
                        total.events++;
                        total.total = total.total.plus(event.getDuration());
                        if (event.getDuration().compareTo(total.max) > 0) {
                            total.max = event.getDuration();
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        long sampled = Math.max(1, samples);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%,d execution samples (JFR `profile` settings: a Java thread running Java "
                + "code is sampled every 10 ms).%n%n", samples));
        out.append("| top frame (self time) | samples | share |\n|---|---|---|\n");
        top(self, rows).forEach(e -> out.append(String.format(Locale.ROOT, "| `%s` | %,d | %.1f %% |%n", e.getKey(),
                e.getValue(), 100.0 * e.getValue() / sampled)));
        out.append("\n| Holdfast method on the sampled stack (inclusive) | samples | share |\n|---|---|---|\n");
        top(inclusive, rows).forEach(e -> out.append(String.format(Locale.ROOT, "| `%s` | %,d | %.1f %% |%n", e.getKey(),
                e.getValue(), 100.0 * e.getValue() / sampled)));
        out.append(String.format(Locale.ROOT, "%nLock contention: `jdk.JavaMonitorEnter` (blocked entering `synchronized`) "
                + "and `jdk.ThreadPark` (parked in `LockSupport`: locks, futures, pools) above the `profile` settings' "
                + "threshold (10 ms), by what was waited for and where, most total time first; %,d parks of threads "
                + "waiting for work (pool workers, schedulers, event loops) left out.%n%n", idle));
        if (waits.isEmpty()) {
            out.append("None above the threshold.\n");
        } else {
            out.append("| waited for | nearest Holdfast frame | first frames | events | total ms | max ms |\n"
                    + "|---|---|---|---|---|---|\n");
            waits.entrySet().stream().sorted((a, b) -> b.getValue().total.compareTo(a.getValue().total)).limit(rows)
                    .forEach(e -> out.append(String.format(Locale.ROOT, "| `%s` | `%s` | `%s` | %,d | %,d | %,d |%n",
                            e.getKey().what(), e.getKey().where(), e.getKey().top(), e.getValue().events,
                            e.getValue().total.toMillis(), e.getValue().max.toMillis())));
        }
        System.out.print(out);
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int rows) {
        return counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(rows).toList();
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
