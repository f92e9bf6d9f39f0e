package io.holdfast.web.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ColorScheme;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.AfterEach;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base of the browser tests: the whole server on a random port (as {@link ServerTest}) and Debian's headless
 * {@code chromium}, driven by Playwright. Playwright never downloads a browser here
 * ({@code PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1} in surefire's environment); {@code scripts/test.sh} installs
 * {@code chromium} when it is missing. One browser serves every test of the JVM; each test opens its own contexts
 * (separate cookies and storage, like separate people) with {@link #open}, closed after the test.
 *
 * <p>{@link #assertAccessible} runs axe-core (vendored under {@code src/test/resources/axe/}, injected by the test,
 * never served) with the WCAG 2.x A/AA tags up to 2.2. {@link #screenshot} writes {@code target/screenshots/}; with
 * {@code -Dscreenshots.update=true} it also copies into {@code docs/screenshots/}, the ones the README shows.
 */
@ActiveProfiles("h2")
public abstract class BrowserTest extends ServerTest {

    public static final Path CHROMIUM = Paths.get(System.getProperty("holdfast.chromium", "/usr/bin/chromium"));
    /** Desktop and the two phone widths the pages are made for. */
    public static final int DESKTOP = 1280;
    public static final int PHONE = 390;
    public static final int SMALL_PHONE = 320;

    /** Chromium's flags for this closed network (also used by the page benchmark, bench/PageMeasurements). */
    public static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
    private static final List<String> WCAG_TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");
    private static Playwright playwright;
    private static Browser browser;
    private static String axeSource;

    private final List<BrowserContext> contexts = new ArrayList<>();

    /** How a person's browser is set up: window width, colour scheme, time zone and language. */
    public record Viewer(int width, ColorScheme scheme, String timeZone, String locale) {

        public static Viewer desktop() {
            return new Viewer(DESKTOP, ColorScheme.LIGHT, "Europe/Berlin", "en-GB");
        }

        public Viewer width(int pixels) {
            return new Viewer(pixels, scheme, timeZone, locale);
        }

        public Viewer dark() {
            return new Viewer(width, ColorScheme.DARK, timeZone, locale);
        }

        public Viewer inZone(String zone) {
            return new Viewer(width, scheme, zone, locale);
        }

        public Viewer locale(String tag) {
            return new Viewer(width, scheme, timeZone, tag);
        }
    }

    protected static synchronized Browser browser() {
        if (browser == null) {
            // Assertions wait as long as actions do: on a loaded machine a page can take seconds to settle, and an
            // assertion passes the moment its state is there.
            com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
            assertThat(CHROMIUM).as("Debian's chromium (scripts/test.sh installs it)").isExecutable();
            playwright = Playwright.create(new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
            browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(CHROMIUM_ARGS).setTimeout(60_000));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                browser.close();
                playwright.close();
            }));
        }
        return browser;
    }

    /** A new person (browser context) with one page, axe-core ready in it; closed after the test. */
    protected Page open(Viewer viewer) {
        return open(viewer, true);
    }

    /** As {@link #open(Viewer)}; without axe-core when timings must not include parsing it. */
    protected Page open(Viewer viewer, boolean withAxe) {
        BrowserContext context = browser().newContext(new Browser.NewContextOptions()
                .setViewportSize(viewer.width(), 900)
                .setColorScheme(viewer.scheme())
                .setTimezoneId(viewer.timeZone())
                .setLocale(viewer.locale())
                .setExtraHTTPHeaders(Map.of("Accept-Language", viewer.locale())));
        context.setDefaultTimeout(20_000);
        if (withAxe) {
            context.addInitScript(axe());
        }
        contexts.add(context);
        return context.newPage();
    }

    protected Page open() {
        return open(Viewer.desktop());
    }

    /** The address of a page of the server under test, {@code path} starting with {@code /}. */
    protected String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @AfterEach
    void closeContexts() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
    }

    /** No axe-core violation of WCAG 2.2 A/AA on the page as it is now; {@code state} names it in the failure. */
    @SuppressWarnings("unchecked")
    protected static void assertAccessible(Page page, String state) {
        Object result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                + ".then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '"
                + " + v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' -> ' + n.failureSummary).join(' | ')))",
                WCAG_TAGS);
        assertThat((List<String>) result).as("axe-core violations on %s", state).isEmpty();
    }

    /**
     * Saves a full-page screenshot as {@code target/screenshots/<name>.png}, and into {@code docs/screenshots/} too
     * when the tests run with {@code -Dscreenshots.update=true}.
     */
    protected static Path screenshot(Page page, String name) {
        Path file = Paths.get("target", "screenshots", name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        if (Boolean.getBoolean("screenshots.update")) {
            try {
                Path docs = Paths.get("docs", "screenshots");
                Files.createDirectories(docs);
                Files.copy(file, docs.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    private static synchronized String axe() {
        if (axeSource == null) {
            try (InputStream in = BrowserTest.class.getResourceAsStream("/axe/axe.min.js")) {
                assertThat(in).as("src/test/resources/axe/axe.min.js").isNotNull();
                axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return axeSource;
    }
}
