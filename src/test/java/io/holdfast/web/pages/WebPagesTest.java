package io.holdfast.web.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.playwright.Page;
import io.holdfast.support.Api;
import org.junit.jupiter.api.Test;

/**
 * How the pages are served: HTML revalidated on every load, assets under one content-hashed folder cached for a
 * year, a strict Content-Security-Policy that the pages run under without a single violation, the embed variant the
 * one page that may be framed, and the language picked from Accept-Language.
 */
class WebPagesTest extends BrowserTest {

    private static final Pattern ASSET = Pattern.compile("(?:href|src)=\"(/assets/[0-9a-f]{16}/[^\"]+)\"");

    @Test
    void pagesAreHtmlThatIsRevalidatedWithAStrictPolicy() {
        for (String path : List.of("/", "/manage/00000000-0000-0000-0000-000000000000")) {
            Api.Response page = api.get(path);

            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(page.headers().firstValue("Cache-Control")).contains("no-cache");
            assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval");
            assertThat(page.body()).doesNotContain("{{").doesNotContainPattern("<script(?![^>]*\\bsrc=)");
        }
    }

    @Test
    void assetsHaveContentHashedUrlsCachedForAYear() {
        String html = api.get("/").body();
        List<String> assets = new ArrayList<>();
        Matcher matcher = ASSET.matcher(html);
        while (matcher.find()) {
            assets.add(matcher.group(1));
        }

        assertThat(assets).isNotEmpty().allMatch(url -> url.startsWith(assets.get(0).substring(0, 25)));
        for (String asset : assets) {
            Api.Response file = api.get(asset);
            assertThat(file.status()).as(asset).isEqualTo(200);
            assertThat(file.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=31536000", "immutable");
        }
        assertThat(api.get("/assets/0000000000000000/js/api.js").status()).isEqualTo(404);
    }

    @Test
    void theEmbeddedBookingPageMayBeFramedAndNothingElse() {
        Api.Response embedded = api.get("/?embed=1");

        assertThat(embedded.headers().firstValue("X-Frame-Options")).isEmpty();
        assertThat(embedded.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("frame-ancestors *", "script-src 'self'");
        assertThat(embedded.body()).contains("class=\"embed\"");
        assertThat(api.get("/manage/x?embed=1").headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    @Test
    void theLanguageFollowsAcceptLanguage() {
        assertThat(api.get("/", "Accept-Language", "de-DE,de;q=0.9,en;q=0.5").body()).contains("<html lang=\"de\"");
        assertThat(api.get("/", "Accept-Language", "fr-FR").body()).contains("<html lang=\"en\"");
        assertThat(api.get("/", "Accept-Language", "???").body()).contains("<html lang=\"en\"");
    }

    @Test
    void theApiKeepsItsOwnHeaders() {
        Api.Response locations = api.get("/api/v1/locations");

        assertThat(locations.headers().firstValue("Content-Security-Policy")).contains(SecurityPolicies.API);
        assertThat(locations.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void theBookingPageRunsUnderItsPolicyInARealBrowser() {
        Page page = open();
        List<String> problems = new ArrayList<>();
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                problems.add(message.text());
            }
        });
        page.onPageError(problems::add);

        page.navigate(url("/"));
        page.waitForLoadState();

        assertThat(page.evaluate("typeof axe")).as("axe-core injected by the test").isEqualTo("object");
        assertThat(problems).as("console errors (CSP violations included)").isEmpty();
    }

    /** The API's policy, as web.SecurityHeaders sends it (that class is package-private in io.holdfast.web). */
    private static final class SecurityPolicies {
        static final String API = "default-src 'none'; frame-ancestors 'none'";
    }
}
