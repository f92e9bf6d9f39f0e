package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's configuration table against the settings records, as the Spring Boot configuration processor read
 * them (target/classes/META-INF/spring-configuration-metadata.json): every {@code holdfast.*} setting is in the
 * table, and where a record has a default the table gives the same one.
 */
class SettingsTableTest {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void theReadmeTableListsEverySettingWithTheRecordsDefault() throws IOException {
        Map<String, String> declared = declaredSettings();
        Map<String, List<String>> documented = documentedSettings();
        assertThat(declared).as("settings found in the records").hasSizeGreaterThan(40);

        assertThat(documented.keySet()).as("holdfast.* settings in the README's table")
                .containsAll(declared.keySet());
        List<String> wrong = new ArrayList<>();
        declared.forEach((name, defaultValue) -> {
            List<String> shown = documented.get(name);
            if (defaultValue != null && !shown.contains(defaultValue)) {
                wrong.add(name + ": record default " + defaultValue + ", README " + shown);
            }
        });
        assertThat(wrong).as("defaults that differ").isEmpty();
        assertThat(declared.keySet()).as("README settings that no record declares").containsAll(documented.keySet());
    }

    /** Name to default (null where the record has none), from the processor's metadata. */
    private static Map<String, String> declaredSettings() throws IOException {
        JsonNode metadata = JsonMapper.builder().build()
                .readTree(Files.readString(Path.of("target/classes/META-INF/spring-configuration-metadata.json")));
        Map<String, String> settings = new LinkedHashMap<>();
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asString();
            if (name.startsWith("holdfast.")) {
                JsonNode value = property.get("defaultValue");
                settings.put(name, value == null || value.isNull() ? null : value.isArray()
                        ? String.join(",", value.valueStream().map(JsonNode::asString).toList()) : value.asString());
            }
        }
        return settings;
    }

    /**
     * Name to the table's default column, split into its code spans. A row may name several settings of one group
     * ({@code `holdfast.cache.warm-days`, `…warm-interval`}); their defaults are listed in the same order.
     */
    private static Map<String, List<String>> documentedSettings() throws IOException {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            String[] cells = line.split("\\|");
            if (cells.length < 4 || !cells[1].contains("holdfast.")) {
                continue;
            }
            List<String> names = new ArrayList<>();
            String group = null;
            Matcher key = CODE.matcher(cells[1]);
            while (key.find()) {
                String name = key.group(1);
                if (name.startsWith("holdfast.")) {
                    names.add(name);
                    group = name.substring(0, name.lastIndexOf('.') + 1);
                } else if (name.startsWith("…") && group != null) {
                    names.add(group + name.substring(1));
                }
            }
            List<String> defaults = new ArrayList<>();
            Matcher value = CODE.matcher(cells[2]);
            while (value.find()) {
                defaults.add(value.group(1));
            }
            for (int i = 0; i < names.size(); i++) {
                settings.put(names.get(i), defaults.size() == names.size() ? List.of(defaults.get(i)) : defaults);
            }
        }
        return settings;
    }
}
