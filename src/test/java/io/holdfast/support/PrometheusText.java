package io.holdfast.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scrape of {@code /actuator/prometheus} read line by line as the Prometheus text format (0.0.4) defines it:
 * {@code name{label="value",...} value [timestamp]}, with {@code \\}, {@code \"} and {@code \n} escaped in label
 * values, and {@code # HELP} / {@code # TYPE} comments. Tests ask for samples by name and labels, never search the body.
 */
public final class PrometheusText {

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final Map<String, String> types;

    private PrometheusText(List<Sample> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    public static PrometheusText parse(String body) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).trim().split(" ");
                types.put(parts[0], parts[1]);
            } else if (!line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
        return new PrometheusText(samples, types);
    }

    /** Samples of one name whose labels include the given {@code label, value} pairs. */
    public List<Sample> samples(String name, String... labelPairs) {
        List<Sample> found = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name) && matches(sample.labels(), labelPairs)) {
                found.add(sample);
            }
        }
        return found;
    }

    /** The sum of the matching samples (0 when there are none): a counter over every value of the other labels. */
    public double sum(String name, String... labelPairs) {
        return samples(name, labelPairs).stream().mapToDouble(Sample::value).sum();
    }

    /** The family's {@code # TYPE} ({@code counter}, {@code gauge}, {@code summary}, {@code histogram}), or null. */
    public String type(String family) {
        return types.get(family);
    }

    private static boolean matches(Map<String, String> labels, String... labelPairs) {
        for (int i = 0; i + 1 < labelPairs.length; i += 2) {
            if (!labelPairs[i + 1].equals(labels.get(labelPairs[i]))) {
                return false;
            }
        }
        return true;
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq).trim();
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("Unquoted label value in: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char escaped = line.charAt(++j);
                        value.append(escaped == 'n' ? '\n' : escaped);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).trim().split(" ");
        return new Sample(name, Map.copyOf(labels), value(rest[0]));
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }
}
