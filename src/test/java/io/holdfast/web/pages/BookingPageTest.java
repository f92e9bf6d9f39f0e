package io.holdfast.web.pages;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.holdfast.web.pages.PageDriver.awaitState;
import static io.holdfast.web.pages.PageDriver.fillDetails;
import static io.holdfast.web.pages.PageDriver.millisUntil;
import static io.holdfast.web.pages.PageDriver.openDay;
import static io.holdfast.web.pages.PageDriver.slot;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;

import com.microsoft.playwright.Page;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Guest;
import org.junit.jupiter.api.Test;

/**
 * The booking page in real browsers: what one person does shows in another person's grid within 2 s and without a
 * reload (looking, holding, releasing, booking), the whole flow from slot to confirmation with the code read from
 * the outbox, and a lost race that keeps what the customer typed and offers the nearest free times.
 */
class BookingPageTest extends BrowserTest {

    private static final long LIVE_BOUND_MS = 2_000;

    private LocalDate tomorrow(Fixtures.Salon salon) {
        return LocalDate.now(salon.zone()).plusDays(1);
    }

    private static String email() {
        return "guest-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    @Test
    void whatOnePersonDoesShowsInAnothersGridWithinTwoSeconds() {
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = tomorrow(salon);
        String start = salon.start(day, "10:00");
        Page a = openDay(open(), url(""), salon, day);
        Page b = openDay(open(), url(""), salon, day);
        awaitState(b, start, "free");

        long focused = System.currentTimeMillis();
        slot(a, start).focus();
        assertThat(millisUntil(b, start, "selected", focused)).as("selected").isLessThan(LIVE_BOUND_MS);

        long held = System.currentTimeMillis();
        slot(a, start).click();
        awaitState(a, start, "mine");
        assertThat(a.getByRole(com.microsoft.playwright.options.AriaRole.TIMER)).containsText(":");
        assertThat(millisUntil(b, start, "held", held)).as("held").isLessThan(LIVE_BOUND_MS);

        long released = System.currentTimeMillis();
        a.locator("#release").click();
        assertThat(millisUntil(b, start, "free", released)).as("free again").isLessThan(LIVE_BOUND_MS);
        awaitState(a, start, "free");
    }

    @Test
    void aHoldThatLapsesShowsFreeAgainElsewhere() {
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = tomorrow(salon);
        String start = salon.start(day, "11:00");
        Page b = openDay(open(), url(""), salon, day);
        var hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), start);
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        awaitState(b, start, "held");

        long lapsed = System.currentTimeMillis();
        clock.advance(java.time.Duration.ofMinutes(11));

        assertThat(millisUntil(b, start, "free", lapsed)).as("lapsed hold free again").isLessThan(LIVE_BOUND_MS);
    }

    @Test
    void theWholeBookingFlowEndsBookedForEveryone() {
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = tomorrow(salon);
        String start = salon.start(day, "14:00");
        String email = email();
        Page a = openDay(open(), url(""), salon, day);
        Page b = openDay(open(), url(""), salon, day);
        assertAccessible(a, "booking page, nothing chosen");

        slot(a, start).click();
        awaitState(a, start, "mine");
        assertAccessible(a, "slot chosen and held");
        a.locator("#continue").click();
        assertThat(a.locator("#name-error")).not().isEmpty();
        assertAccessible(a, "form with errors");

        fillDetails(a, "Ada Lovelace", email);
        a.getByLabel("Phone").fill("+49 30 1234567");
        long before = Guest.newestMail(api, email);
        a.locator("#continue").click();
        assertThat(a.getByLabel("Code", new Page.GetByLabelOptions().setExact(true))).isVisible();
        assertThat(a.getByLabel("Code", new Page.GetByLabelOptions().setExact(true))).hasAttribute("autocomplete", "one-time-code");
        assertAccessible(a, "code step");
        String code = Guest.awaitCode(api, email, before).code();
        a.getByLabel("Code", new Page.GetByLabelOptions().setExact(true)).fill(code);

        long confirmed = System.currentTimeMillis();
        a.locator("#confirm").click();

        assertThat(a.locator("#done")).isVisible();
        assertThat(a.locator("#done-when")).containsText("14:00");
        assertThat(a.locator("#manage-link")).hasAttribute("href", java.util.regex.Pattern.compile("/manage/[0-9a-f-]{36}#token=."));
        assertThat(a.locator("#ics")).hasAttribute("href", java.util.regex.Pattern.compile("^blob:"));
        assertThat(a.locator("#google")).hasAttribute("href", java.util.regex.Pattern.compile("calendar\\.google\\.com.*dates="));
        assertAccessible(a, "confirmation");
        assertThat(millisUntil(b, start, "booked", confirmed)).as("booked elsewhere").isLessThan(LIVE_BOUND_MS);
        assertThat(slot(b, start)).isDisabled();
        assertThat(slot(b, start)).containsText("booked");
    }

    @Test
    void whoConfirmsSecondKeepsWhatTheyTypedAndGetsTheNearestFreeTimes() {
        Fixtures.Salon salon = fixtures.salon();
        LocalDate day = tomorrow(salon);
        String start = salon.start(day, "15:00");
        Page late = openDay(open(), url(""), salon, day);
        slot(late, start).click();
        awaitState(late, start, "mine");
        fillDetails(late, "Grace Hopper", email());
        late.locator("#notes").fill("Window seat, please");
        // The late one's hold lapses while they type (the server's clock moves on); the slot is free again.
        clock.advance(java.time.Duration.ofMinutes(11));
        Page first = openDay(open(), url(""), salon, day);
        awaitState(first, start, "free");

        String firstEmail = email();
        slot(first, start).click();
        awaitState(first, start, "mine");
        fillDetails(first, "Alan Turing", firstEmail);
        long before = Guest.newestMail(api, firstEmail);
        first.locator("#continue").click();
        first.getByLabel("Code", new Page.GetByLabelOptions().setExact(true))
                .fill(Guest.awaitCode(api, firstEmail, before).code());
        first.locator("#confirm").click();
        assertThat(first.locator("#done")).isVisible();

        String lateEmail = late.getByLabel("Email", new Page.GetByLabelOptions().setExact(true)).inputValue();
        long lateBefore = Guest.newestMail(api, lateEmail);
        late.locator("#continue").click();
        late.getByLabel("Code", new Page.GetByLabelOptions().setExact(true))
                .fill(Guest.awaitCode(api, lateEmail, lateBefore).code());
        late.locator("#confirm").click();

        assertThat(late.locator("#alert")).hasText(java.util.regex.Pattern.compile("(someone else has just booked|hold ran out)"));
        assertThat(late.locator("#alternatives")).isVisible();
        assertThat(late.locator("#alternative-slots button[data-start]").first()).isVisible();
        assertThat(late.getByLabel("Name", new Page.GetByLabelOptions().setExact(true))).hasValue("Grace Hopper");
        assertThat(late.locator("#notes")).hasValue("Window seat, please");
        String nearest = late.locator("#alternative-slots button[data-start]").first().getAttribute("data-start");
        assertThat(nearest).isIn(salon.start(day, "14:30"), salon.start(day, "15:30"));
        assertAccessible(late, "lost race with alternatives");

        late.locator("#alternative-slots button[data-start]").first().click();
        awaitState(late, nearest, "mine");
        late.locator("#continue").click();
        assertThat(late.locator("#done")).isVisible();
        assertThat(late.locator("#done-when")).containsText(nearest.substring(11, 16));
    }
}
