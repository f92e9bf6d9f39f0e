package io.holdfast.web.pages;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.holdfast.web.pages.PageDriver.awaitState;
import static io.holdfast.web.pages.PageDriver.millisUntil;
import static io.holdfast.web.pages.PageDriver.openDay;
import static io.holdfast.web.pages.PageDriver.slot;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.UUID;

import com.microsoft.playwright.Keyboard;
import com.microsoft.playwright.Page;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The manage page behind the link of every booking mail: cancelling frees the slot in another viewer's grid within
 * 2 s, rescheduling moves it (the new time held before the old one is given up), and cancelling works with the
 * keyboard alone. The link in the mail itself points at this page on the server's own port.
 */
class ManagePageTest extends BrowserTest {

    private record Booked(String id, String manageToken, String start) {
    }

    private Booked book(Fixtures.Salon salon, LocalDate day, String hhmm) {
        String start = salon.start(day, hhmm);
        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), start);
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        Api.Response booked = fixtures.book(hold.json(), "manage-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        JsonNode booking = booked.json().get("bookings").get(0);
        return new Booked(booking.get("id").asString(), booking.get("manageToken").asString(), start);
    }

    private Page manage(Page page, Booked booked, String query) {
        page.navigate(url("/manage/" + booked.id() + query + "#token=" + booked.manageToken()));
        assertThat(page.locator("#main")).hasAttribute("aria-busy", "false");
        assertThat(page.locator("#booking")).isVisible();
        return page;
    }

    @Test
    void cancellingFreesTheSlotForAnotherViewerWithinTwoSeconds() {
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        Booked booked = book(salon, day, "10:00");
        Page viewer = openDay(open(), url(""), salon, day);
        awaitState(viewer, booked.start(), "booked");

        Page page = manage(open(), booked, "");
        assertThat(page.locator("#f-when")).containsText("10:00");
        assertThat(page.locator("#cutoff")).containsText("120 minutes");
        assertAccessible(page, "manage page");
        screenshot(page, "manage-desktop");
        for (Viewer phone : java.util.List.of(Viewer.desktop().width(PHONE).dark(), Viewer.desktop().width(SMALL_PHONE))) {
            Page small = manage(open(phone), booked, "");
            String name = "manage-" + phone.width() + "px-" + phone.scheme().name().toLowerCase();
            assertAccessible(small, name);
            assertThat(small.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).as(name).isEqualTo(true);
            screenshot(small, name);
        }
        page.locator("#cancel").click();
        long cancelled = System.currentTimeMillis();
        page.locator("#cancel-yes").click();

        assertThat(page.locator("#f-status")).hasText("Cancelled");
        assertThat(millisUntil(viewer, booked.start(), "free", cancelled)).as("free again").isLessThan(2_000);
        assertAccessible(page, "manage page, cancelled");
    }

    @Test
    void reschedulingMovesTheBookingOnTheLiveGrid() {
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        Booked booked = book(salon, day, "11:00");
        String target = salon.start(day, "13:00");
        Page viewer = openDay(open(), url(""), salon, day);

        Page page = manage(open(), booked, "?action=reschedule");
        assertThat(page.locator("#move")).isVisible();
        awaitState(page, target, "free");
        slot(page, target).click();
        awaitState(page, target, "mine");
        awaitState(viewer, target, "held");
        assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.TIMER)).containsText(":");
        assertAccessible(page, "manage page, new time held");
        page.locator("#move-confirm").click();

        assertThat(page.locator("#status-line")).containsText("13:00");
        assertThat(page.locator("#f-when")).containsText("13:00");
        awaitState(viewer, target, "booked");
        awaitState(viewer, booked.start(), "free");
        Api.Response now = api.get("/api/v1/bookings/" + booked.id(), "Manage-Token", booked.manageToken());
        assertThat(now.json().get("start").asString()).isEqualTo(target);
    }

    @Test
    void cancellingWorksWithTheKeyboardAlone() {
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        Booked booked = book(salon, day, "12:00");
        Page page = manage(open(), booked, "");
        Keyboard keys = page.keyboard();

        tabTo(page, "cancel");
        keys.press("Enter");
        assertThat(page.locator("#cancel-yes")).isFocused();
        keys.press("Space");

        assertThat(page.locator("#f-status")).hasText("Cancelled");
        Api.Response now = api.get("/api/v1/bookings/" + booked.id(), "Manage-Token", booked.manageToken());
        assertThat(now.json().get("status").asString()).isEqualTo("cancelled");
    }

    @Test
    void theManageLinkInTheMailOpensThisServersManagePage() {
        Fixtures.Salon salon = fixtures.salon();
        String email = "link-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String start = salon.start(LocalDate.now(salon.zone()).plusDays(4), "09:00");
        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), start);
        assertThat(fixtures.book(hold.json(), email).status()).isEqualTo(201);

        String link = awaitManageLink(email);

        assertThat(link).startsWith("http://localhost:" + port + "/manage/");
        Page page = open();
        page.navigate(link.replace("localhost", "127.0.0.1"));
        assertThat(page.locator("#booking")).isVisible();
        assertThat(page.locator("#f-when")).containsText("09:00");
    }

    private String awaitManageLink(String email) {
        long deadline = System.currentTimeMillis() + 10_000;
        java.util.regex.Pattern see = java.util.regex.Pattern.compile("See it:\\s+(\\S+)");
        while (System.currentTimeMillis() < deadline) {
            for (JsonNode mail : io.holdfast.support.Guest.outbox(api, email, 0)) {
                java.util.regex.Matcher link = see.matcher(mail.get("text").asString());
                if (link.find()) {
                    return link.group(1);
                }
            }
            try {
                Thread.sleep(50); // mail is queued after the booking commits: poll the outbox until it is there
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("No confirmation mail to " + email);
    }

    /** Presses Tab until the element with this id has focus (at most 40 times). */
    static void tabTo(Page page, String id) {
        for (int i = 0; i < 40; i++) {
            page.keyboard().press("Tab");
            if (Boolean.TRUE.equals(page.evaluate("id => document.activeElement && document.activeElement.id === id", id))) {
                return;
            }
        }
        throw new AssertionError("Tab never reached #" + id);
    }
}
