package io.holdfast.web.pages;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.holdfast.web.pages.PageDriver.awaitState;
import static io.holdfast.web.pages.PageDriver.openDay;
import static io.holdfast.web.pages.PageDriver.slot;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import com.microsoft.playwright.Page;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Guest;
import org.junit.jupiter.api.Test;

/**
 * How the booking page looks and reads: accessible (axe-core) in light and dark, at desktop and phone widths with
 * nothing scrolling sideways and 44 px touch targets; screenshots of each; times in the location's zone or the
 * viewer's own, right on a daylight-saving day; the whole booking with the keyboard alone; German; the embed.
 */
class BookingPageLooksTest extends BrowserTest {

    private Fixtures.Salon salon() {
        return fixtures.salon();
    }

    @Test
    void accessibleAndUsableAtEveryWidthInLightAndDark() {
        Fixtures.Salon salon = salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(1);
        fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "12:00"));
        for (Viewer viewer : List.of(Viewer.desktop(), Viewer.desktop().dark(), Viewer.desktop().width(PHONE),
                Viewer.desktop().width(PHONE).dark(), Viewer.desktop().width(SMALL_PHONE),
                Viewer.desktop().width(SMALL_PHONE).dark())) {
            String name = "booking-" + (viewer.width() == DESKTOP ? "desktop" : viewer.width() + "px") + "-"
                    + viewer.scheme().name().toLowerCase();
            Page page = openDay(open(viewer), url(""), salon, day);
            awaitState(page, salon.start(day, "12:00"), "held");

            assertAccessible(page, name);
            assertThat(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
                    .as("%s scrolls sideways", name).isEqualTo(true);
            Object small = page.evaluate("[...document.querySelectorAll('button, select, input, a.btn')]"
                    + ".filter(e => e.offsetParent !== null && !e.classList.contains('skip'))"
                    + ".map(e => [e, e.getBoundingClientRect()]).filter(([e, r]) => r.width < 44 || r.height < 44)"
                    + ".map(([e, r]) => (e.id || e.className || e.tagName) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))");
            assertThat((List<?>) small).as("touch targets under 44 px on %s", name).isEmpty();
            screenshot(page, name);

            slot(page, salon.start(day, "10:00")).click();
            awaitState(page, salon.start(day, "10:00"), "mine");
            assertAccessible(page, name + " with a slot held");
            if (viewer.width() != DESKTOP) {
                screenshot(page, name + "-held");
            }
            page.locator("#release").click();
            awaitState(page, salon.start(day, "10:00"), "free");
            page.context().close();
        }
    }

    @Test
    void timesShowInTheViewersOwnZoneCorrectlyOnADaylightSavingDay() {
        // 28 March 2027: Berlin moves to summer time; Los Angeles is already on it, Auckland still is.
        long location = fixtures.location("Europe/Berlin", 30, 0, 400, 120);
        long service = fixtures.service(30, 0, 0);
        long staff = fixtures.staff(location, List.of(service));
        fixtures.everyDay(staff, "08:00", "18:00");
        Fixtures.Salon salon = new Fixtures.Salon(location, ZoneId.of("Europe/Berlin"), service, staff);
        LocalDate day = LocalDate.of(2027, 3, 28);
        String start = salon.start(day, "10:00");
        assertThat(start).endsWith("+02:00");

        for (String zone : List.of("America/Los_Angeles", "Pacific/Auckland")) {
            Page page = openDay(open(Viewer.desktop().inZone(zone)), url(""), salon, day);
            assertThat(slot(page, start).locator(".slot-time")).hasText("10:00");
            assertThat(page.locator("#zone-label")).containsText("Europe/Berlin");

            page.getByLabel(java.util.regex.Pattern.compile("Show times in my time zone")).check();

            String expected = ZonedDateTime.parse(start).withZoneSameInstant(ZoneId.of(zone))
                    .format(DateTimeFormatter.ofPattern("HH:mm"));
            assertThat(slot(page, start).locator(".slot-time")).containsText(expected);
            assertThat(page.locator("#zone-label")).containsText(zone.replace('_', ' '));
            screenshot(page, "booking-zone-" + zone.substring(zone.indexOf('/') + 1).toLowerCase());
        }
    }

    @Test
    void aBookingCanBeMadeWithTheKeyboardAlone() {
        Fixtures.Salon salon = salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(1);
        String email = "keys-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Page page = openDay(open(), url(""), salon, day);

        for (int i = 0; i < 40 && !Boolean.TRUE.equals(page.evaluate("!!document.activeElement.dataset.start")); i++) {
            page.keyboard().press("Tab");
        }
        String first = (String) page.evaluate("document.activeElement.dataset.start");
        assertThat(first).as("Tab reaches the slot grid").isNotNull();
        page.keyboard().press("ArrowRight");
        String second = (String) page.evaluate("document.activeElement.dataset.start");
        assertThat(second).isNotEqualTo(first);
        page.keyboard().press("Enter");
        awaitState(page, second, "mine");

        ManagePageTest.tabTo(page, "name");
        page.keyboard().type("Katherine Johnson");
        page.keyboard().press("Tab");
        page.keyboard().type(email);
        long before = Guest.newestMail(api, email);
        page.keyboard().press("Enter");
        assertThat(page.locator("#code")).isFocused();
        page.keyboard().type(Guest.awaitCode(api, email, before).code());
        page.keyboard().press("Enter");

        assertThat(page.locator("#done")).isVisible();
        assertThat(page.locator("#done-heading")).isFocused();
        screenshot(page, "booking-confirmed");
        assertAccessible(page, "confirmation, keyboard");
    }

    @Test
    void germanFromAcceptLanguageAndSwitchable() {
        Fixtures.Salon salon = salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(1);
        Page page = openDay(open(Viewer.desktop().locale("de-DE").dark()), url(""), salon, day);

        assertThat(page.locator("h1")).hasText("Termin buchen");
        assertThat(slot(page, salon.start(day, "10:00"))).containsText("frei");
        assertAccessible(page, "German, dark");
        screenshot(page, "booking-german-dark");

        page.locator("#language").selectOption("en");
        assertThat(page.locator("h1")).hasText("Book an appointment");
        assertThat(slot(page, salon.start(day, "10:00"))).containsText("free");
    }

    @Test
    void theEmbeddedPageHasNoChromeAndTellsItsHeight() {
        Fixtures.Salon salon = salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(1);
        String frameUrl = url(PageDriver.bookingPath(salon, day) + "&embed=1");
        Page page = open();
        // A host page answered by the browser itself. On this server's origin: Chromium's Local Network Access
        // keeps a public-looking origin from framing a loopback address, which a salon's real site never is.
        // That any origin may frame the embed is asserted on its headers (WebPagesTest).
        String host = url("/salon-site");
        page.route(host, route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                .setContentType("text/html").setBody("<html><body><h1>A salon's own site</h1><script>"
                        + "window.__heights = []; addEventListener('message', e => { if (e.data && e.data.type === "
                        + "'holdfast:height') window.__heights.push(e.data.height); });</script>"
                        + "<iframe id=f width=600 height=200 src='" + frameUrl + "'></iframe></body></html>")));
        page.navigate(host);

        page.waitForFunction("() => window.__heights.length > 0 && window.__heights[window.__heights.length - 1] > 300");
        var frame = page.frameLocator("#f");
        assertThat(frame.locator("#slots button[data-start]").first()).isVisible();
        assertThat(frame.locator("header.chrome")).isHidden();
    }
}
