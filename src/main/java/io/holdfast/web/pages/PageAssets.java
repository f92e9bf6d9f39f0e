package io.holdfast.web.pages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.CacheControl;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The front end's static files ({@code classpath:/web/assets/}), served under {@code /assets/<hash>/} where the hash
 * is a SHA-256 over every asset's path and content. One hash for the whole set, not one per file, on purpose: ES
 * modules import each other by relative URL ({@code ./api.js}), which then resolves inside the same hashed folder
 * with no import map (an import map is an inline script, which the pages' CSP forbids) and no rewriting of
 * JavaScript. Any change to any asset moves every URL, so nothing cached can mix old and new files; the set is
 * small, so the cost is one re-download after a release. The URLs are immutable and cached for a year; the HTML
 * pages that name them are never cached without revalidation (see {@link WebPages}).
 *
 * <p>The languages are the message files in {@code i18n/}: adding a language is adding one file.
 */
@Component
class PageAssets implements WebMvcConfigurer {

    static final String LOCATION = "classpath:/web/assets/";

    private final String base;
    private final Map<String, String> languages;

    PageAssets() {
        Map<String, byte[]> files = read();
        base = "/assets/" + digest(files) + "/";
        languages = languages(files);
    }

    /** The URL prefix of the current assets, ending in {@code /}. */
    String base() {
        return base;
    }

    /** Language tag to its own name ({@code "de" -> "Deutsch"}), in the order of the file names. */
    Map<String, String> languages() {
        return languages;
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(base + "**")
                .addResourceLocations(LOCATION)
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    }

    private static Map<String, byte[]> read() {
        try {
            Resource root = new PathMatchingResourcePatternResolver().getResource(LOCATION);
            String prefix = root.getURL().toString();
            Resource[] found = new PathMatchingResourcePatternResolver().getResources(LOCATION + "**/*.*");
            List<Resource> sorted = new ArrayList<>(Arrays.asList(found));
            sorted.sort(Comparator.comparing(PageAssets::url));
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (Resource resource : sorted) {
                if (resource.isReadable()) {
                    try (InputStream in = resource.getInputStream()) {
                        files.put(url(resource).substring(prefix.length()), in.readAllBytes());
                    }
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the web assets", e);
        }
    }

    private static String url(Resource resource) {
        try {
            return resource.getURL().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            files.forEach((path, content) -> {
                sha.update(path.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(content);
            });
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> languages(Map<String, byte[]> files) {
        JsonMapper json = JsonMapper.builder().build();
        Map<String, String> names = new LinkedHashMap<>();
        files.forEach((path, content) -> {
            if (path.startsWith("i18n/") && path.endsWith(".json")) {
                String tag = path.substring("i18n/".length(), path.length() - ".json".length());
                JsonNode name = json.readTree(content).get("language.name");
                names.put(tag, name == null ? tag : name.asString());
            }
        });
        if (names.isEmpty()) {
            throw new IllegalStateException("No message file in " + LOCATION + "i18n/");
        }
        return names;
    }
}
