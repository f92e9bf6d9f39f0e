package io.holdfast.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Guest;
import io.holdfast.support.Instance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances on one PostgreSQL database mailing over real SMTP (GreenMail): 200 bookings whose reminders all fall
 * due at once are reminded exactly once each, whichever instance picks them; when one instance dies mid-run (its
 * scheduler stopped without waiting) the other takes its jobs over, and jobs left picked by a killed process (rows
 * marked so, heartbeats a minute old) are revived: no reminder is lost. Jobs are made due by moving their execution time to now through the scheduler (as if the day
 * before the bookings had come); the bookings, jobs and mails are real.
 */
class RemindersAcrossInstancesTest {

    private static final String SCHEMA = System.getenv().getOrDefault("HOLDFAST_TEST_SCHEMA", "holdfast") + "_reminders";
    private static final String DATABASE = "jdbc:postgresql://127.0.0.1:"
            + System.getenv().getOrDefault("HOLDFAST_TEST_PG_PORT", "5432") + "/test";
    private static final int SMTP_PORT = freePort();
    private static final int BOOKINGS = 200;
    private static final int STAFF = 10;
    private static final int JOB_THREADS = 4;
    private static final Pattern REMINDED = Pattern.compile("/manage/([0-9a-f-]{36})");
    private static final Pattern CODE = Pattern.compile("Your code is (\\d{6})");

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(
            new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)).withPerMethodLifecycle(false);

    private static Instance a;
    private static Instance b;

    @BeforeAll
    static void freshSchemaAndFirstInstance() throws SQLException {
        try (Connection db = DriverManager.getConnection(DATABASE, "postgres", "")) {
            db.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        a = start();
    }

    @BeforeEach
    void secondInstance() {
        if (b == null) {
            b = start();
        }
    }

    @AfterAll
    static void stop() {
        for (Instance instance : new Instance[] {a, b}) {
            if (instance != null) {
                instance.close();
            }
        }
    }

    private static Instance start() {
        return Instance.start("--spring.datasource.url=" + DATABASE + "?currentSchema=" + SCHEMA,
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--spring.flyway.schemas=" + SCHEMA, "--spring.flyway.create-schemas=true",
                "--spring.mail.host=127.0.0.1", "--spring.mail.port=" + SMTP_PORT,
                "--server.forward-headers-strategy=native", "--holdfast.cache.warm-on-start=false",
                "--holdfast.reminders.lead=1h", "--holdfast.reminders.retry-delay=1s",
                "--holdfast.jobs.poll-interval=200ms", "--holdfast.jobs.heartbeat=500ms",
                "--holdfast.jobs.missed-heartbeats=4", "--holdfast.jobs.threads=" + JOB_THREADS,
                // Stopping does not wait for running jobs: they stay picked, as when the process is killed.
                "--holdfast.jobs.shutdown-wait=0s");
    }

    @Test
    void twoInstancesSendEveryReminderExactlyOnce() {
        String email = "twice-never-" + UUID.randomUUID() + "@example.com";
        List<String> booked = book(LocalDate.now().plusDays(3), email);

        makeAllDue();

        Map<String, Integer> reminded = awaitReminders(email, booked.size());
        assertThat(reminded.keySet()).containsExactlyInAnyOrderElementsOf(booked);
        assertThat(reminded.values()).as("reminders per booking").allMatch(count -> count == 1);
        awaitNoReminderJobs(); // a job is recorded done after its mail went out
        assertThat(awaitReminders(email, booked.size()).values()).as("reminders per booking, the jobs done")
                .allMatch(count -> count == 1);
    }

    @Test
    void anInstanceDyingMidRunLosesNoReminder() {
        String email = "none-lost-" + UUID.randomUUID() + "@example.com";
        List<String> booked = book(LocalDate.now().plusDays(4), email);
        // What a process killed in the middle of sending leaves behind: jobs picked by it, their heartbeats stopped.
        List<String> abandoned = booked.subList(0, 10);
        abandonAsPickedByADeadInstance(abandoned);

        makeAllDue();
        awaitReminders(email, 20);
        b.close();
        b = null;

        awaitReminders(email, booked.size());
        // A job b had sent but not yet recorded as done stays until a finds it dead (missed heartbeats) and runs it
        // again: every reminder can have arrived before that, so the jobs are awaited, then the mails counted.
        awaitNoReminderJobs();
        Map<String, Integer> reminded = awaitReminders(email, booked.size());
        assertThat(reminded.keySet()).containsExactlyInAnyOrderElementsOf(booked).containsAll(abandoned);
        // The documented gap: a mail the dead instance had handed to the mail server before it could record the
        // job done is sent again by the survivor. At most one per job thread that was running.
        int repeated = reminded.values().stream().mapToInt(count -> count - 1).sum();
        assertThat(repeated).isLessThanOrEqualTo(JOB_THREADS);
    }

    /** 200 bookings (10 staff, 20 half hours each), made through both instances in parallel; returns their ids. */
    private List<String> book(LocalDate day, String email) {
        Fixtures fixtures = a.fixtures();
        Fixtures.Salon salon = fixtures.salon();
        List<Long> staff = new ArrayList<>(List.of(salon.staffId()));
        while (staff.size() < STAFF) {
            long member = fixtures.staff(salon.locationId(), List.of(salon.serviceId()));
            fixtures.everyDay(member, "08:00", "18:00");
            staff.add(member);
        }
        String session = session(a.api(), email);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> bookings = new ArrayList<>();
            for (int i = 0; i < BOOKINGS; i++) {
                Api api = (i % 2 == 0 ? a : b).api();
                long member = staff.get(i % STAFF);
                int slot = i / STAFF;
                String start = salon.start(day, String.format("%02d:%02d", 8 + slot / 2, slot % 2 * 30));
                bookings.add(pool.submit(() -> bookOne(api, salon, member, start, email, session)));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> booking : bookings) {
                ids.add(booking.get());
            }
            return ids;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String bookOne(Api api, Fixtures.Salon salon, long staffId, String start, String email,
            String session) {
        String client = Fixtures.clientAddress();
        Api.Response hold = api.post("/api/v1/holds", Map.of("clientId", Fixtures.clientId(), "staffId", staffId,
                "serviceId", salon.serviceId(), "start", start), "X-Forwarded-For", client);
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        Api.Response booked = api.post("/api/v1/bookings", Map.of("holdId", hold.json().get("holdId").asString(),
                "holdToken", hold.json().get("token").asString(), "customer", Map.of("name", "Guest", "email", email)),
                "Idempotency-Key", UUID.randomUUID().toString(), "Authorization", "Bearer " + session,
                "X-Forwarded-For", client);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        return booked.json().get("bookings").get(0).get("id").asString();
    }

    private static void makeAllDue() {
        Scheduler jobs = a.bean(Scheduler.class);
        Instant now = Instant.now();
        jobs.getScheduledExecutionsForTask(Reminders.TASK).stream().filter(job -> !job.isPicked())
                .forEach(job -> jobs.reschedule(TaskInstanceId.of(Reminders.TASK, job.getTaskInstance().getId()), now));
    }

    private static void abandonAsPickedByADeadInstance(List<String> bookingIds) {
        Timestamp aMinuteAgo = Timestamp.from(Instant.now().minusSeconds(60));
        try (Connection db = DriverManager.getConnection(DATABASE + "?currentSchema=" + SCHEMA, "postgres", "")) {
            PreparedStatement abandon = db.prepareStatement("UPDATE scheduled_tasks SET picked = TRUE,"
                    + " picked_by = 'killed-instance', last_heartbeat = ?, execution_time = ?"
                    + " WHERE task_name = ? AND task_instance LIKE ?");
            for (String id : bookingIds) {
                abandon.setTimestamp(1, aMinuteAgo);
                abandon.setTimestamp(2, aMinuteAgo);
                abandon.setString(3, Reminders.TASK);
                abandon.setString(4, id + "/%");
                assertThat(abandon.executeUpdate()).isEqualTo(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until reminders of at least {@code bookings} distinct bookings reached the mail server; counts each. */
    /** Every reminder job done: none left scheduled (a job is recorded done after its mail went out). */
    private static void awaitNoReminderJobs() {
        Scheduler scheduler = a.bean(Scheduler.class);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> scheduler.getScheduledExecutionsForTask(Reminders.TASK).isEmpty());
    }

    private static Map<String, Integer> awaitReminders(String email, int bookings) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            Map<String, Integer> reminded = new HashMap<>();
            for (MimeMessage mail : mailsTo(email)) {
                try {
                    if (mail.getSubject().startsWith("Reminder:")) {
                        Matcher id = REMINDED.matcher(GreenMailUtil.getBody(mail));
                        assertThat(id.find()).isTrue();
                        reminded.merge(id.group(1), 1, Integer::sum);
                    }
                } catch (jakarta.mail.MessagingException e) {
                    throw new AssertionError(e);
                }
            }
            if (reminded.size() >= bookings) {
                return reminded;
            }
            assertThat(System.currentTimeMillis()).as("reminders of %s bookings arrived, %s expected",
                    reminded.size(), bookings).isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A guest session, the code read from the mail the guest got over SMTP. */
    private static String session(Api api, String email) {
        String client = Fixtures.clientAddress();
        assertThat(Guest.requestCode(api, email, client).status()).isEqualTo(202);
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (MimeMessage mail : mailsTo(email)) {
                Matcher code = CODE.matcher(GreenMailUtil.getBody(mail));
                if (code.find()) {
                    Api.Response verified = Guest.verifyCode(api, email, code.group(1), client);
                    assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
                    return verified.json().get("sessionToken").asString();
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no code mail to " + email);
    }

    private static List<MimeMessage> mailsTo(String email) {
        List<MimeMessage> mails = new ArrayList<>();
        for (MimeMessage mail : SMTP.getReceivedMessages()) {
            try {
                if (mail.getAllRecipients()[0].toString().equalsIgnoreCase(email)) {
                    mails.add(mail);
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new AssertionError(e);
            }
        }
        return mails;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
