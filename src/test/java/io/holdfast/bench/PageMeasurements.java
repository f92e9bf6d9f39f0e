package io.holdfast.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Instance;
import io.holdfast.web.pages.BrowserTest;

/**
 * The booking page's two numbers of issue #11 (docs/benchmarks.md, "Web pages"), in Debian's headless chromium
 * against a whole server in this JVM (H2 in memory, SQL mode: the embedded default):
 * <ul>
 * <li><b>navigation → first slot shown</b>, a fresh browser context per try (nothing cached), timed inside the page
 * from the navigation's start to the first {@code #slots button[data-start]}; for the preselected link a salon puts
 * on its site ({@code ?locationId=&serviceId=&staffId=&date=}) and for the bare {@code /};</li>
 * <li><b>API hold → another browser's grid</b>: a hold placed over HTTP until a browser that has the day open
 * shows the slot {@code held}, timed by the wall-clock moment the page changed the button (a MutationObserver in
 * the page), not when the benchmark looked.</li>
 * </ul>
 * It also prints the request waterfall of one cold load (resource timing), which shows how many rounds of requests
 * stand between the navigation and the grid. Part of {@link Benchmarks}: {@code HOLDFAST_BENCH=pages ./mvnw
 * test-compile exec:exec}; needs only {@code /usr/bin/chromium} (no Redis, no PostgreSQL). It compares against the
 * issue's goal (first slots under a second) and against the earlier runs recorded in docs/benchmarks.md.
 */
final class PageMeasurements {

    private static final int WARM_UP = 5;
    private static final String FIRST_SLOT_OBSERVER = "new MutationObserver((ms, o) => { if (document.querySelector("
            + "'#slots button[data-start]')) { window.__firstSlot = performance.now(); o.disconnect(); } })"
            + ".observe(document, {subtree: true, childList: true});";

    private PageMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("\n" + run(50));
    }

    static String run(int tries) throws Exception {
        try (Instance server = Instance.start("--spring.datasource.url=jdbc:h2:mem:bench-pages;DB_CLOSE_DELAY=-1",
                "--holdfast.redis.enabled=false", "--server.forward-headers-strategy=native",
                "--logging.level.root=WARN");
                Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(BrowserTest.CHROMIUM).setHeadless(true)
                        .setArgs(BrowserTest.CHROMIUM_ARGS).setTimeout(60_000))) {
            Fixtures fixtures = server.fixtures();
            Fixtures.Salon salon = fixtures.salon();
            LocalDate day = LocalDate.now(salon.zone()).plusDays(1);
            String preselected = server.url("/?locationId=" + salon.locationId() + "&serviceId=" + salon.serviceId()
                    + "&staffId=" + salon.staffId() + "&date=" + day);
            String bare = server.url("/");

            for (int i = 0; i < WARM_UP; i++) {
                firstSlot(browser, preselected);
                firstSlot(browser, bare);
            }
            String waterfall = waterfall(browser, preselected);
            List<Long> linked = new ArrayList<>();
            List<Long> plain = new ArrayList<>();
            for (int i = 0; i < tries; i++) {
                linked.add(firstSlot(browser, preselected));
                plain.add(firstSlot(browser, bare));
            }
            List<Long> live = live(browser, server.api(), salon, day, preselected, tries);

            StringBuilder out = new StringBuilder("## Web pages, ").append(LocalDate.now()).append("\n\n")
                    .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                    .append(System.getProperty("java.version")).append(", ").append(System.getProperty("os.name"))
                    .append(' ').append(System.getProperty("os.arch")).append(", load average ")
                    .append(String.format(Locale.ROOT, "%.1f", java.lang.management.ManagementFactory
                            .getOperatingSystemMXBean().getSystemLoadAverage()))
                    .append(" at the end. ").append(WARM_UP).append(" untimed loads of each page first.\n\n")
                    .append("| measure (").append(tries).append(" tries) | p50 | p95 | max |\n|---|---|---|---|\n")
                    .append(row("navigation → first slot shown, preselected link (cold context)", linked))
                    .append(row("navigation → first slot shown, bare `/` (cold context)", plain))
                    .append(row("API hold → another browser's grid shows `held`", live))
                    .append("\nRequests of one cold load of the preselected link (ms from navigation start):\n\n")
                    .append(waterfall);
            // also kept as a file, for pasting into docs/benchmarks.md with the machine's load noted
            java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "bench-pages.md"), out);
            return out.toString();
        }
    }

    /** Milliseconds from navigation start to the first slot button, in a fresh context (nothing cached). */
    private static long firstSlot(Browser browser, String url) {
        try (BrowserContext context = coldContext(browser)) {
            context.addInitScript(FIRST_SLOT_OBSERVER);
            Page page = context.newPage();
            page.navigate(url);
            page.waitForFunction("() => window.__firstSlot !== undefined");
            return Math.round(((Number) page.evaluate("window.__firstSlot")).doubleValue());
        }
    }

    private static BrowserContext coldContext(Browser browser) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)
                .setLocale("en-GB").setTimezoneId("Europe/Berlin")
                .setExtraHTTPHeaders(Map.of("Accept-Language", "en-GB")));
        context.setDefaultTimeout(30_000);
        return context;
    }

    /** One cold load's requests as a Markdown table: what was fetched, when it started and ended. */
    @SuppressWarnings("unchecked")
    private static String waterfall(Browser browser, String url) {
        try (BrowserContext context = coldContext(browser)) {
            context.addInitScript(FIRST_SLOT_OBSERVER);
            Page page = context.newPage();
            page.navigate(url);
            page.waitForFunction("() => window.__firstSlot !== undefined");
            List<Map<String, Object>> entries = (List<Map<String, Object>>) page.evaluate("() => {"
                    + " const nav = performance.getEntriesByType('navigation')[0];"
                    + " const rows = [{name: 'document', start: 0, end: nav.responseEnd}];"
                    + " for (const e of performance.getEntriesByType('resource')) {"
                    + "   if (e.startTime > window.__firstSlot) continue;"
                    + "   const u = new URL(e.name); rows.push({name: u.pathname.replace(/^\\/assets\\/[0-9a-f]+\\//, '')"
                    + "     + u.search.replace(/clientId=[^&]+/, 'clientId=…'), start: e.startTime, end: e.responseEnd}); }"
                    + " for (const m of performance.getEntriesByType('mark')) rows.push({name: 'mark ' + m.name,"
                    + "   start: m.startTime, end: m.startTime});"
                    + " rows.sort((a, b) => a.start - b.start);"
                    + " rows.push({name: 'first slot shown', start: window.__firstSlot, end: window.__firstSlot});"
                    + " return rows; }");
            StringBuilder out = new StringBuilder("| request | start ms | end ms |\n|---|---|---|\n");
            for (Map<String, Object> entry : entries) {
                out.append(String.format(Locale.ROOT, "| `%s` | %.0f | %.0f |%n", entry.get("name"),
                        ((Number) entry.get("start")).doubleValue(), ((Number) entry.get("end")).doubleValue()));
            }
            return out.toString();
        }
    }

    /** Milliseconds from sending a hold over HTTP to the moment another browser's grid showed it held. */
    private static List<Long> live(Browser browser, Api api, Fixtures.Salon salon, LocalDate day, String url,
            int tries) {
        List<Long> millis = new ArrayList<>();
        try (BrowserContext context = coldContext(browser)) {
            Page viewer = context.newPage();
            viewer.navigate(url);
            viewer.waitForSelector("#slots button[data-start]");
            viewer.evaluate("() => { window.__changes = []; new MutationObserver(ms => ms.forEach(m => {"
                    + " if (m.attributeName === 'data-state' && m.target.dataset.start) window.__changes.push("
                    + "{start: m.target.dataset.start, state: m.target.dataset.state, at: Date.now()}); }))"
                    + ".observe(document.getElementById('slots'), {subtree: true, attributes: true,"
                    + " attributeFilter: ['data-state']}); }");
            for (int i = 0; i < tries; i++) {
                String start = salon.start(day, String.format(Locale.ROOT, "%02d:%02d", 8 + (i % 20) / 2, (i % 2) * 30));
                String address = Fixtures.clientAddress();
                awaitState(viewer, start, "free");
                long before = System.currentTimeMillis();
                Api.Response hold = api.post("/api/v1/holds", Map.of("clientId", Fixtures.clientId(),
                        "staffId", salon.staffId(), "serviceId", salon.serviceId(), "start", start),
                        "X-Forwarded-For", address);
                if (hold.status() != 201) {
                    throw new IllegalStateException("hold refused: " + hold);
                }
                awaitState(viewer, start, "held");
                Number at = (Number) viewer.evaluate("([start, since]) => { const c = window.__changes.find(c =>"
                        + " c.start === start && c.state === 'held' && c.at >= since); return c ? c.at : Date.now(); }",
                        new Object[] {start, (double) before});
                millis.add(at.longValue() - before);
                api.delete("/api/v1/holds/" + hold.json().get("holdId").asString(), "Hold-Token",
                        hold.json().get("token").asString(), "X-Forwarded-For", address);
            }
        }
        return millis;
    }

    private static void awaitState(Page page, String start, String state) {
        page.waitForSelector("#slots button[data-start='" + start + "'][data-state='" + state + "']");
    }

    private static String row(String name, List<Long> values) {
        return String.format(Locale.ROOT, "| %s | %,d ms | %,d ms | %,d ms |%n", name, percentile(values, 50),
                percentile(values, 95), Collections.max(values));
    }

    static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
