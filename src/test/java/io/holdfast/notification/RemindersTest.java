package io.holdfast.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Guest;
import io.holdfast.support.Invitation;
import io.holdfast.support.PrometheusText;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Reminder jobs over the real server and database: planned with the booking at start minus the lead (24 h, the
 * default), moved with a reschedule, withdrawn with a cancellation, none for a lead already passed. To make a job
 * due the test moves its execution time to now through the scheduler (as if a day had passed); everything the job
 * then checks (the booking, its time) is real. Without SMTP the reminders land in the admin outbox.
 */
abstract class RemindersTest extends ServerTest {

    @Autowired
    Scheduler jobs;

    @Test
    void aConfirmedBookingGetsAReminderAtStartMinusLeadWithTheManageLinkAndCalendarFile() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        String email = email();
        JsonNode booking = book(salon, salon.start(day, "10:00"), email);
        Instant start = salon.at(day, "10:00").toInstant();

        assertThat(reminders(booking)).singleElement()
                .satisfies(job -> assertThat(job.getExecutionTime()).isEqualTo(start.minus(Duration.ofHours(24))));

        double sentBefore = metrics().sum("holdfast_reminders_total", "outcome", "sent");
        makeDue(booking);
        JsonNode mail = awaitReminder(email);
        String text = mail.get("text").asString();
        assertThat(text).contains("10:00-10:30 (Europe/Berlin)");
        Matcher link = Pattern.compile("/manage/" + id(booking) + "#token=([A-Za-z0-9_-]+)").matcher(text);
        assertThat(link.find()).as(text).isTrue();
        assertThat(link.group(1)).isEqualTo(booking.get("manageToken").asString());
        Invitation invite = Invitation.parse(mail.get("attachments").get(0).get("content").asString());
        assertThat(invite.validationProblems()).isEmpty();
        assertThat(invite.events()).singleElement().satisfies(event -> {
            assertThat(event.uid()).isEqualTo(id(booking) + "@holdfast");
            assertThat(event.start()).isEqualTo(start);
        });
        awaitNoReminderJobs(booking);
        PrometheusText after = metrics();
        assertThat(after.sum("holdfast_reminders_total", "outcome", "sent")).isEqualTo(sentBefore + 1);
        assertThat(after.type("holdfast_jobs_retrying")).isEqualTo("gauge");
        assertThat(after.samples("holdfast_jobs_planned", "task", Reminders.TASK)).hasSize(1);
    }

    private PrometheusText metrics() {
        Api.Response scraped = api.get("/actuator/prometheus");
        assertThat(scraped.status()).isEqualTo(200);
        return PrometheusText.parse(scraped.body());
    }

    @Test
    void aBookingMadeInsideTheLeadGetsNoReminder() {
        var salon = fixtures.salon("UTC", 30, 30, 0, 0, "00:00", "23:30");
        JsonNode booking = book(salon, firstFreeStart(salon, Duration.ofHours(2)), email());

        assertThat(reminders(booking)).as("the confirmation mail is the reminder").isEmpty();
    }

    @Test
    void aRescheduleReplansTheReminderAndTheOldTimeIsNeverReminded() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        String email = email();
        JsonNode booking = book(salon, salon.start(day, "10:00"), email);
        String oldJob = reminders(booking).get(0).getTaskInstance().getId();
        JsonNode hold = hold(salon, salon.start(day, "15:00"));

        Api.Response moved = api.post("/api/v1/bookings/" + id(booking) + "/reschedule",
                Map.of("holdId", hold.get("holdId").asString(), "holdToken", hold.get("token").asString()),
                "Manage-Token", booking.get("manageToken").asString());

        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(jobs.getScheduledExecution(TaskInstanceId.of(Reminders.TASK, oldJob))).isEmpty();
        assertThat(reminders(booking)).singleElement().satisfies(job -> assertThat(job.getExecutionTime())
                .isEqualTo(salon.at(day, "15:00").toInstant().minus(Duration.ofHours(24))));
        makeDue(booking);
        String text = awaitReminder(email).get("text").asString();
        assertThat(text).contains("15:00-15:30").doesNotContain("10:00-10:30")
                .contains("#token=" + booking.get("manageToken").asString());
        awaitNoReminderJobs(booking);
        assertThat(reminderMails(email)).hasSize(1);
    }

    @Test
    void aCancellationWithdrawsTheReminder() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        String email = email();
        JsonNode booking = book(salon, salon.start(day, "11:00"), email);
        assertThat(reminders(booking)).hasSize(1);

        Api.Response cancelled = api.delete("/api/v1/bookings/" + id(booking), "Manage-Token",
                booking.get("manageToken").asString());

        assertThat(cancelled.status()).isEqualTo(204);
        assertThat(reminders(booking)).isEmpty();
    }

    @Test
    void aReminderJobLeftForACancelledBookingSendsNothing() {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        String email = email();
        JsonNode booking = book(salon, salon.start(day, "12:00"), email);
        Instant start = salon.at(day, "12:00").toInstant();
        String sealed = (String) reminders(booking).get(0).getData();
        assertThat(api.admin("DELETE", "/api/v1/bookings/" + id(booking), null).status()).isEqualTo(204);
        // A job written back as if its withdrawal had lost the race with its own pick-up.
        ReminderKey key = new ReminderKey(UUID.fromString(id(booking)), Duration.ofHours(24), start);
        jobs.schedule(new com.github.kagkarlsson.scheduler.task.TaskInstance<>(Reminders.TASK, key.id(), sealed),
                Instant.now());

        awaitNoReminderJobs(booking);
        assertThat(reminderMails(email)).isEmpty();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private JsonNode book(Fixtures.Salon salon, String start, String email) {
        Api.Response booked = fixtures.book(hold(salon, start), email);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        return booked.json().get("bookings").get(0);
    }

    private JsonNode hold(Fixtures.Salon salon, String start) {
        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), start);
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        return hold.json();
    }

    /** The first free start more than {@code after} from now, today or tomorrow. */
    private String firstFreeStart(Fixtures.Salon salon, Duration after) {
        Instant earliest = Instant.now().plus(after);
        for (LocalDate day : List.of(LocalDate.now(salon.zone()), LocalDate.now(salon.zone()).plusDays(1))) {
            Api.Response slots = api.get("/api/v1/availability?staffId=" + salon.staffId() + "&serviceId="
                    + salon.serviceId() + "&date=" + day);
            for (JsonNode slot : slots.json().get("slots")) {
                String start = slot.get("start").asString();
                if (OffsetDateTime.parse(start).toInstant().isAfter(earliest) && "free".equals(slot.get("state").asString())) {
                    return start;
                }
            }
        }
        throw new AssertionError("no free slot today or tomorrow");
    }

    private List<ScheduledExecution<Object>> reminders(JsonNode booking) {
        return jobs.getScheduledExecutionsForTask(Reminders.TASK).stream()
                .filter(job -> job.getTaskInstance().getId().startsWith(id(booking) + "/")).toList();
    }

    private void makeDue(JsonNode booking) {
        reminders(booking).forEach(job -> assertThat(jobs.reschedule(
                TaskInstanceId.of(Reminders.TASK, job.getTaskInstance().getId()), Instant.now())).isTrue());
    }

    private void awaitNoReminderJobs(JsonNode booking) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!reminders(booking).isEmpty()) {
            assertThat(System.currentTimeMillis()).as("reminder jobs of %s still planned", id(booking))
                    .isLessThan(deadline);
            pause();
        }
    }

    private JsonNode awaitReminder(String email) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            List<JsonNode> mails = reminderMails(email);
            if (!mails.isEmpty()) {
                return mails.get(0);
            }
            assertThat(System.currentTimeMillis()).as("a reminder mail to %s", email).isLessThan(deadline);
            pause();
        }
    }

    private List<JsonNode> reminderMails(String email) {
        List<JsonNode> reminders = new java.util.ArrayList<>();
        for (JsonNode mail : Guest.outbox(api, email, 0)) {
            if (mail.get("subject").asString().startsWith("Reminder:")) {
                reminders.add(mail);
            }
        }
        return reminders;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String email() {
        return "remind-" + UUID.randomUUID() + "@example.com";
    }

    private static String id(JsonNode booking) {
        return booking.get("id").asString();
    }
}

@ActiveProfiles("h2")
class RemindersOnH2Test extends RemindersTest {
}

@ActiveProfiles("postgresql")
class RemindersOnPostgresTest extends RemindersTest {
}

@ActiveProfiles("mariadb")
class RemindersOnMariaDbTest extends RemindersTest {
}
