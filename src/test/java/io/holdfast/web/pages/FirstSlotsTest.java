package io.holdfast.web.pages;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Route;
import io.holdfast.support.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The way to the first slots, as behaviour: the times section says it is busy (`aria-busy`, a loading line) until
 * the day's slots are in, then shows them and stops being busy; a preselected link asks for its day's availability
 * once, and the catalogue comes from the page's preloads. How fast that is, is measured by
 * {@code bench/PageMeasurements} (docs/benchmarks.md, "Web pages"), not here.
 */
class FirstSlotsTest extends BrowserTest {

    @Test
    void theTimesAreBusyUntilTheSlotsAreInAndThenShowThem() {
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(1);
        Page page = open(Viewer.desktop(), false);
        // The day's availability answers are held back until the busy state has been seen, then let through.
        List<Route> held = new ArrayList<>();
        page.route("**/api/v1/availability?**", held::add);

        page.navigate(url(PageDriver.bookingPath(salon, day)));
        page.waitForCondition(() -> !held.isEmpty());
        assertThat(page.locator("#times")).hasAttribute("aria-busy", "true");
        assertThat(page.locator("#times-status")).containsText("Loading times");
        assertThat(page.locator("#slots button[data-start]")).hasCount(0);

        // by index: a resume can run the handler again (Playwright dispatches events while it waits), adding to the list
        int resumed = 0;
        for (; resumed < held.size(); resumed++) {
            held.get(resumed).resume();
        }
        // later requests go straight through, and none is left to the route while the context closes
        page.unrouteAll();
        for (; resumed < held.size(); resumed++) {
            held.get(resumed).resume();
        }
        assertThat(page.locator("#slots button[data-start]").first()).isVisible();
        assertThat(page.locator("#times")).hasAttribute("aria-busy", "false");
        assertThat(page.locator("#times-status")).isHidden();
        assertThat(page.locator("#slots button[data-start='" + salon.start(day, "08:00") + "']"))
                .hasAttribute("data-state", "free");
    }

    @Test
    void aPreselectedLinkAsksForItsDayOnceAndTakesTheCatalogueFromThePreloads() {
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(1);
        Page page = open(Viewer.desktop(), false);
        List<String> requested = new ArrayList<>();
        page.onRequest((Request request) -> requested.add(request.url()));

        PageDriver.openDay(page, url(""), salon, day);

        String ofTheDay = "/api/v1/availability?staffId=" + salon.staffId() + "&serviceId=" + salon.serviceId()
                + "&date=" + day;
        assertThat(requested.stream().filter(u -> u.contains(ofTheDay)).count())
                .as("availability requests of the preselected day in %s", requested).isEqualTo(1);
        for (String catalogue : List.of("/api/v1/locations", "/api/v1/services", "/api/v1/staff")) {
            assertThat(requested.stream().filter(u -> u.endsWith(catalogue)).count())
                    .as("requests of %s (one preload, handed to the page's fetch) in %s", catalogue, requested)
                    .isEqualTo(1);
        }
    }

    @Test
    void theBarePageFindsAnOpenDayAndShowsItsSlots() {
        Fixtures.Salon salon = fixtures.salon();
        Page page = open(Viewer.desktop(), false);
        page.navigate(url("/?locationId=" + salon.locationId() + "&serviceId=" + salon.serviceId()));
        assertThat(page.locator("#slots button[data-start]").first()).isVisible();
        assertThat(page.locator("#times")).hasAttribute("aria-busy", "false");
        assertThat(page.url()).contains("date=");
    }
}
