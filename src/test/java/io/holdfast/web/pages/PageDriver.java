package io.holdfast.web.pages;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.holdfast.support.Fixtures;

/**
 * What the browser tests do on the booking and manage pages, through the stable hooks of API.md: slots are
 * {@code button[data-start][data-state]}, fields are found by their labels. {@link #watch} records, inside the page,
 * the wall-clock moment each slot's state changed, so "within 2 s" is measured from when the page changed and not
 * from when the test happened to look.
 */
final class PageDriver {

    static final double WAIT_MS = 15_000;

    private PageDriver() {
    }

    static String bookingPath(Fixtures.Salon salon, LocalDate date) {
        return "/?locationId=" + salon.locationId() + "&serviceId=" + salon.serviceId() + "&staffId=" + salon.staffId()
                + "&date=" + date;
    }

    /** Opens the booking page of a salon's day and waits for its slots. */
    static Page openDay(Page page, String base, Fixtures.Salon salon, LocalDate date) {
        page.navigate(base + bookingPath(salon, date));
        assertThat(page.locator("#times")).hasAttribute("aria-busy", "false", new LocatorAssertions.HasAttributeOptions().setTimeout(WAIT_MS));
        assertThat(page.locator("#slots button[data-start]").first()).isVisible();
        watch(page);
        return page;
    }

    static Locator slot(Page page, String start) {
        return page.locator("#slots button[data-start='" + start + "']");
    }

    static void awaitState(Page page, String start, String state) {
        assertThat(slot(page, start)).hasAttribute("data-state", state,
                new LocatorAssertions.HasAttributeOptions().setTimeout(WAIT_MS));
    }

    /** Starts recording slot state changes in the page (idempotent). */
    static void watch(Page page) {
        page.evaluate("() => { if (window.__changes) return; window.__changes = [];"
                + " new MutationObserver(ms => ms.forEach(m => { if (m.attributeName === 'data-state' && m.target.dataset.start)"
                + " window.__changes.push({start: m.target.dataset.start, state: m.target.dataset.state, at: Date.now()}); }))"
                + ".observe(document.getElementById('slots'), {subtree: true, attributes: true, attributeFilter: ['data-state']}); }");
    }

    /**
     * Waits for the slot to show {@code state}, then answers how long after {@code sinceMillis} (wall clock) the page
     * first showed it.
     */
    static long millisUntil(Page page, String start, String state, long sinceMillis) {
        awaitState(page, start, state);
        Object at = page.evaluate("([start, state, since]) => { const c = window.__changes.find(c => c.start === start"
                + " && c.state === state && c.at >= since); return c ? c.at : Date.now(); }",
                new Object[] {start, state, (double) sinceMillis});
        long elapsed = ((Number) at).longValue() - sinceMillis;
        assertThat(elapsed).as("ms until %s showed %s", start, state).isGreaterThanOrEqualTo(0);
        return elapsed;
    }

    static void fillDetails(Page page, String name, String email) {
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill(name);
        page.getByLabel("Email", new Page.GetByLabelOptions().setExact(true)).fill(email);
    }
}
