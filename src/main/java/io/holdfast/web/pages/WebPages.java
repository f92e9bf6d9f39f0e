package io.holdfast.web.pages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.holdfast.web.ApiProblem;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;

/**
 * The web pages: {@code /} (booking), {@code /manage/{bookingId}} and {@code /admin}. Each is a static HTML file of
 * {@code classpath:/web/pages/} with three placeholders filled in here: {@code {{assets}}} (the hashed asset folder of
 * {@link PageAssets}), {@code {{lang}}} (the best of the available languages for {@code Accept-Language}; the page
 * may switch later) and {@code {{languages}}} (every available language, for the switcher). {@code embed=1} adds the
 * class {@code embed} to the root element, so the page renders without chrome inside a salon's iframe from the first
 * paint. The HTML is revalidated on every load ({@code no-cache}), so a release shows at once.
 */
@Controller
class WebPages {

    private final PageAssets assets;
    private final Map<String, String> templates = new ConcurrentHashMap<>();

    WebPages(PageAssets assets) {
        this.assets = assets;
    }

    @GetMapping("/")
    ResponseEntity<String> booking(@RequestHeader(value = HttpHeaders.ACCEPT_LANGUAGE, required = false) String accept,
            @RequestParam(required = false) String embed) {
        return page("booking", accept, "1".equals(embed));
    }

    @GetMapping("/manage/{bookingId}")
    ResponseEntity<String> manage(@PathVariable String bookingId,
            @RequestHeader(value = HttpHeaders.ACCEPT_LANGUAGE, required = false) String accept) {
        return page("manage", accept, false);
    }

    @GetMapping("/admin")
    ResponseEntity<String> admin(@RequestHeader(value = HttpHeaders.ACCEPT_LANGUAGE, required = false) String accept) {
        return page("admin", accept, false);
    }

    private ResponseEntity<String> page(String name, String acceptLanguage, boolean embed) {
        String template = templates.computeIfAbsent(name, WebPages::template);
        if (template.isEmpty()) {
            throw ApiProblem.notFound("Page", name);
        }
        String html = template.replace("{{assets}}", assets.base())
                .replace("{{lang}}", language(acceptLanguage))
                .replace("{{languages}}", HtmlUtils.htmlEscape(languagesAttribute()))
                .replace("{{rootClass}}", embed ? "embed" : "");
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noCache())
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .body(html);
    }

    /** The best available language for the header; the first message file's language when nothing matches. */
    String language(String acceptLanguage) {
        List<String> available = new ArrayList<>(assets.languages().keySet());
        if (acceptLanguage != null && !acceptLanguage.isBlank()) {
            try {
                String match = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), available);
                if (match != null) {
                    return match;
                }
            } catch (IllegalArgumentException malformed) {
                // A malformed header is no reason to refuse the page: the default language serves.
            }
        }
        return available.contains("en") ? "en" : available.get(0);
    }

    private String languagesAttribute() {
        StringBuilder json = new StringBuilder("{");
        assets.languages().forEach((tag, label) -> json.append(json.length() > 1 ? "," : "")
                .append('"').append(tag).append("\":\"").append(label.replace("\"", "")).append('"'));
        return json.append('}').toString();
    }

    private static String template(String name) {
        ClassPathResource resource = new ClassPathResource("web/pages/" + name + ".html");
        if (!resource.exists()) {
            return "";
        }
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
