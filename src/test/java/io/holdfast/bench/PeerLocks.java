package io.holdfast.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.holdfast.hold.PeerLockBenchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link PeerLockBenchmark} at 1, 8 and 64 threads and prints one Markdown table (peers beside Holdfast, with
 * the ratios issue #13 asks for); with {@code HOLDFAST_BENCH_OUT=<file>} it also writes the scores as TSV
 * ({@code lock, threads, ops/s, error}) for scripts/bench. {@code HOLDFAST_BENCH_SECONDS} (default 3) is the length
 * of each of the 2 measurement iterations (warm-up: 1 iteration of the same length).
 * Run: {@code ./mvnw test-compile exec:exec -Dbench.main=io.holdfast.bench.PeerLocks}.
 */
public final class PeerLocks {

    private PeerLocks() {
    }

    record Score(String lock, int threads, double perSecond, double error) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(System.getenv().getOrDefault("HOLDFAST_BENCH_SECONDS", "3"));
        List<Score> scores = new ArrayList<>();
        for (int threads : new int[] {1, 8, 64}) {
            Collection<RunResult> results = new Runner(new OptionsBuilder()
                    .include(PeerLockBenchmark.class.getSimpleName())
                    .forks(1)
                    .threads(threads)
                    .warmupIterations(1).warmupTime(TimeValue.seconds(seconds))
                    .measurementIterations(2).measurementTime(TimeValue.seconds(seconds))
                    .build()).run();
            for (RunResult result : results) {
                scores.add(new Score(result.getParams().getParam("lock"), threads,
                        result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError()));
            }
        }
        StringBuilder table = new StringBuilder("| threads | lock | take + give back per second | error (99.9 %) |"
                + " Holdfast ÷ this |\n|---|---|---|---|---|\n");
        StringBuilder tsv = new StringBuilder();
        for (Score score : scores) {
            double holdfast = scores.stream().filter(s -> s.threads() == score.threads() && s.lock().equals("holdfast"))
                    .mapToDouble(Score::perSecond).findFirst().orElse(Double.NaN);
            table.append(String.format("| %d | %s | %,.0f | %s | %.2fx |%n", score.threads(), score.lock(),
                    score.perSecond(), Double.isNaN(score.error()) ? "n/a (2 iterations)" : String.format("± %,.0f", score.error()), holdfast / score.perSecond()));
            tsv.append(String.format("%s\t%d\t%.1f\t%.1f%n", score.lock(), score.threads(), score.perSecond(),
                    score.error()));
        }
        System.out.println("\n" + table);
        String out = System.getenv("HOLDFAST_BENCH_OUT");
        if (out != null && !out.isBlank()) {
            Files.writeString(Path.of(out), tsv);
        }
    }
}
