package io.holdfast.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.holdfast.HoldfastApplication;
import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.Guest;
import io.holdfast.support.Invitation;
import io.holdfast.support.RedisServer;
import io.holdfast.support.SparePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two Holdfast instances sharing one database and one private Redis, mailing over real SMTP (GreenMail): the guest
 * flow from code to booking confirmation crosses instances, the limits hold across them (Redis) and in SQL mode
 * after Redis dies, sessions survive a Redis restart, and a logout made while Redis stalled still holds when it
 * returns with its old cache. Mails are retried until the mail server is back.
 */
class GuestIdentityAcrossInstancesTest {

    private static final String ADMIN_TOKEN = "across-instances-admin-token-0123";
    private static final Pattern CODE = Pattern.compile("Your code is (\\d{6})");
    /** Below the ephemeral range: the mail server is stopped and started again on it (see {@link SparePorts}). */
    private static final int SMTP_PORT = SparePorts.next();

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(
            new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)).withPerMethodLifecycle(false);

    private static RedisServer redis;
    private static boolean redisDead;
    private static boolean redisPaused;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private static Api a;
    private static Api b;

    @BeforeAll
    static void startTwoInstances() {
        redis = RedisServer.start();
        String database = "jdbc:h2:mem:identity-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        first = start(database);
        second = start(database);
        a = api(first);
        b = api(second);
    }

    @AfterAll
    static void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** Every test starts with Redis up, the mail server up, and both instances on Redis. */
    @BeforeEach
    void bothOnRedis() {
        if (redisPaused) {
            redis.resume();
            redisPaused = false;
        }
        if (redisDead) {
            redis.restart();
            redisDead = false;
        }
        if (!SMTP.isRunning()) {
            SMTP.start();
        }
        awaitMode("redis");
    }

    @Test
    void fromCodeToCalendarInvitationAcrossInstancesOverSmtp() throws Exception {
        Fixtures.Salon salon = new Fixtures(a).salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        String email = freshEmail();
        String client = Fixtures.clientAddress();

        assertThat(Guest.requestCode(a, email, client).status()).isEqualTo(202);
        String code = code(awaitMail(email, subject("code")));
        Api.Response verified = Guest.verifyCode(b, email, code, client);
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        String token = verified.json().get("sessionToken").asString();
        Api.Response hold = new Fixtures(a).hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(day, "09:30"));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        Api.Response booked = book(b, hold.json(), email, token);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        JsonNode booking = booked.json().get("bookings").get(0);
        String id = booking.get("id").asString();

        MimeMessage confirmation = awaitMail(email, subject("confirmed"));
        Matcher link = Pattern.compile("https://book\\.example/manage/" + id + "#token=([A-Za-z0-9_-]+)")
                .matcher(text(confirmation));
        assertThat(link.find()).as("manage link in %s", text(confirmation)).isTrue();
        assertThat(link.group(1)).isEqualTo(booking.get("manageToken").asString());
        assertThat(a.get("/api/v1/bookings/" + id, "Manage-Token", link.group(1)).status()).isEqualTo(200);
        Part calendarPart = part(confirmation, p -> p.isMimeType("text/calendar"));
        assertThat(calendarPart.getContentType()).contains("method=REQUEST");
        Invitation invite = Invitation.parse(read(calendarPart));
        assertThat(invite.validationProblems()).isEmpty();
        assertThat(invite.method()).isEqualTo("REQUEST");
        assertThat(invite.events()).singleElement().satisfies(event -> {
            assertThat(event.uid()).isEqualTo(id + "@holdfast");
            assertThat(event.start()).isEqualTo(salon.at(day, "09:30").toInstant())
                    .isEqualTo(java.time.OffsetDateTime.parse(booking.get("start").asString()).toInstant());
            assertThat(event.end()).isEqualTo(salon.at(day, "10:00").toInstant())
                    .isEqualTo(java.time.OffsetDateTime.parse(booking.get("end").asString()).toInstant());
            assertThat(event.attendee()).isEqualToIgnoringCase("mailto:" + email);
            assertThat(event.organizer()).isEqualToIgnoringCase("mailto:bookings@holdfast.invalid");
        });
    }

    @Test
    void theFourthCodeAlternatingBetweenInstancesIsRefused() {
        String client = Fixtures.clientAddress(); // one guest's network: its share of sends
        String email = freshEmail();
        assertThat(Guest.requestCode(a, email, client).status()).isEqualTo(202);
        assertThat(Guest.requestCode(b, email, client).status()).isEqualTo(202);
        assertThat(Guest.requestCode(a, email, client).status()).isEqualTo(202);

        assertRateLimited(Guest.requestCode(b, email, client));
        assertRateLimited(Guest.requestCode(a, email, client));
        assertThat(redis.cli("EXISTS", "hf:limit:send-email:" + keys().emailKey(email))).isEqualTo("1");
    }

    @Test
    void tenWrongCodesAcrossInstancesKillTheCode() throws Exception {
        String email = freshEmail();
        String client = Fixtures.clientAddress();
        assertThat(Guest.requestCode(a, email, client).status()).isEqualTo(202);
        String code = code(awaitMail(email, subject("code")));
        String codeKey = "hf:otp:" + keys().emailKey(email);
        assertThat(redis.cli("EXISTS", codeKey)).as("the code lives in Redis").isEqualTo("1");
        String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);

        // Issue #15: 5 tries per client network and 10 in all, so two networks' worth kill the code.
        String otherClient = Fixtures.clientAddress();
        for (String from : List.of(client, otherClient)) {
            for (Api api : List.of(a, b, a, b, a)) {
                assertThat(Guest.verifyCode(api, email, wrong, from).status()).isEqualTo(401);
            }
        }
        Api.Response right = Guest.verifyCode(b, email, code, client);

        assertThat(right.status()).as(right.toString()).isEqualTo(401);
        assertThat(right.code()).isEqualTo("otp_invalid");
        assertThat(redis.cli("EXISTS", codeKey)).as("the dead code is deleted").isEqualTo("0");
    }

    @Test
    void sessionsSurviveARedisRestart() throws Exception {
        String email = freshEmail();
        String token = session(a, email);
        String path = "/api/v1/bookings/" + bookSomething(email, token);
        String cacheKey = "hf:session:" + IdentityKeys.tokenHash(token);
        assertThat(redis.cli("EXISTS", cacheKey)).as("cached in Redis").isEqualTo("1");

        redis.kill();
        redisDead = true;
        assertThat(a.get(path, "Authorization", "Bearer " + token).status()).isEqualTo(200);
        assertThat(b.get(path, "Authorization", "Bearer " + token).status()).isEqualTo(200);
        awaitMode("sql");
        assertThat(a.get(path, "Authorization", "Bearer " + token).status()).isEqualTo(200);
        redis.restart();
        redisDead = false;
        awaitMode("redis");

        assertThat(redis.cli("EXISTS", cacheKey)).as("Redis came back empty").isEqualTo("0");
        assertThat(a.get(path, "Authorization", "Bearer " + token).status()).isEqualTo(200);
        assertThat(b.get(path, "Authorization", "Bearer " + token).status()).isEqualTo(200);
        assertThat(redis.cli("EXISTS", cacheKey)).as("cached again from SQL").isEqualTo("1");
    }

    /**
     * Redis stalls with the session in its cache; the guest logs out while both instances serve from SQL; Redis
     * returns with its old data. The failback marks the session revoked in Redis, so the stale entry is never
     * believed.
     */
    @Test
    void aLogoutWhileRedisWasAwayHoldsWhenRedisReturnsWithItsOldCache() throws Exception {
        String email = freshEmail();
        String token = session(a, email);
        String path = "/api/v1/bookings/" + bookSomething(email, token);
        String cacheKey = "hf:session:" + IdentityKeys.tokenHash(token);
        assertThat(redis.cli("GET", cacheKey)).startsWith("s|");

        redis.pause();
        redisPaused = true;
        awaitMode("sql");
        Api.Response loggedOut = b.delete("/api/v1/auth/session", "Authorization", "Bearer " + token);
        assertThat(loggedOut.status()).as(loggedOut.toString()).isEqualTo(204);
        assertThat(a.get(path, "Authorization", "Bearer " + token).status()).isEqualTo(401);
        redis.resume();
        redisPaused = false;
        awaitMode("redis");

        long deadline = System.currentTimeMillis() + 30_000;
        while (!"revoked".equals(redis.cli("GET", cacheKey)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(redis.cli("GET", cacheKey)).isEqualTo("revoked");
        assertThat(a.get(path, "Authorization", "Bearer " + token).status()).isEqualTo(401);
        assertThat(b.get(path, "Authorization", "Bearer " + token).status()).isEqualTo(401);
    }

    @Test
    void theFourthCodeIsRefusedInSqlModeToo() throws Exception {
        String client = Fixtures.clientAddress(); // one guest's network: its share of sends
        redis.kill();
        redisDead = true;
        awaitMode("sql");
        String email = freshEmail();

        assertThat(Guest.requestCode(a, email, client).status()).isEqualTo(202);
        assertThat(Guest.requestCode(b, email, client).status()).isEqualTo(202);
        assertThat(Guest.requestCode(a, email, client).status()).isEqualTo(202);

        assertRateLimited(Guest.requestCode(b, email, client));
        // The newest of the codes mailed from SQL works on the other instance (mails may arrive out of order).
        int opened = 0;
        for (MimeMessage mail : awaitMails(email, subject("code"), 3)) {
            if (Guest.verifyCode(b, email, code(mail), client).status() == 200) {
                opened++;
            }
        }
        assertThat(opened).isEqualTo(1);
    }

    @Test
    void mailsWaitForTheMailServerAndBookingsDoNot() throws Exception {
        String email = freshEmail();
        String token = session(a, email);
        SMTP.stop();

        String booking = bookSomething(email, token);
        assertThat(Guest.requestCode(b, email, Fixtures.clientAddress()).status()).isEqualTo(202);
        Thread.sleep(1_000); // some deliveries fail meanwhile and are rescheduled
        SMTP.start();

        MimeMessage confirmation = awaitMail(email, subject("confirmed"));
        assertThat(text(confirmation)).contains(booking);
        assertThat(code(awaitMail(email, subject("code")))).matches("\\d{6}");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static ConfigurableApplicationContext start(String database) {
        return new SpringApplicationBuilder(HoldfastApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + database,
                "--spring.data.redis.url=" + redis.url(),
                "--holdfast.redis.probe-interval=200ms",
                // a healthy Redis on a loaded machine can miss the production 500 ms (see application-h2.yml)
                "--spring.data.redis.timeout=2s",
                "--holdfast.admin.token=" + ADMIN_TOKEN,
                "--holdfast.demo-data=false",
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + SMTP_PORT,
                "--holdfast.mail.retry-delay=300ms",
                "--holdfast.public-url=https://book.example/",
                "--server.forward-headers-strategy=native");
    }

    private static Api api(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new Api("http://127.0.0.1:" + port, ADMIN_TOKEN);
    }

    private static IdentityKeys keys() {
        return first.getBean(IdentityKeys.class);
    }

    private static String freshEmail() {
        return "guest-" + UUID.randomUUID() + "@example.com";
    }

    /** Requests a code on {@code api}, reads it from the SMTP server and verifies it there. */
    private static String session(Api api, String email) throws Exception {
        String client = Fixtures.clientAddress();
        int before = mailsTo(email, subject("code")).size();
        assertThat(Guest.requestCode(api, email, client).status()).isEqualTo(202);
        List<MimeMessage> mails = awaitMails(email, subject("code"), before + 1);
        Api.Response verified = Guest.verifyCode(api, email, code(mails.get(mails.size() - 1)), client);
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        return verified.json().get("sessionToken").asString();
    }

    /** Holds on one instance and books on the other; returns the booking id. */
    private static String bookSomething(String email, String token) {
        Fixtures fixtures = new Fixtures(a);
        Fixtures.Salon salon = fixtures.salon();
        Api.Response hold = fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(),
                salon.start(LocalDate.now(salon.zone()).plusDays(2), "10:00"));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        Api.Response booked = book(b, hold.json(), email, token);
        assertThat(booked.status()).as(booked.toString()).isEqualTo(201);
        return booked.json().get("bookings").get(0).get("id").asString();
    }

    private static Api.Response book(Api api, JsonNode hold, String email, String token) {
        return api.post("/api/v1/bookings", Map.of("holdId", hold.get("holdId").asString(), "holdToken",
                hold.get("token").asString(), "customer", Map.of("name", "Guest", "email", email)),
                "Idempotency-Key", UUID.randomUUID().toString(), "Authorization", "Bearer " + token);
    }

    private static void assertRateLimited(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(429);
        assertThat(response.code()).isEqualTo("rate_limited");
        assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 600L);
    }

    /** Waits until both instances report this storage mode. */
    private static void awaitMode(String mode) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (mode(a).equals(mode) && mode(b).equals(mode)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("The instances did not both reach storage mode " + mode + ": " + mode(a) + ", " + mode(b));
    }

    private static String mode(Api api) {
        return api.get("/api/v1/health").json().get("storageMode").asString();
    }

    private static Predicate<MimeMessage> subject(String word) {
        return mail -> {
            try {
                return mail.getSubject().contains(word);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static List<MimeMessage> mailsTo(String email, Predicate<MimeMessage> which) throws MessagingException {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage mail : SMTP.getReceivedMessages()) {
            for (Address to : mail.getAllRecipients()) {
                if (to.toString().equalsIgnoreCase(email) && which.test(mail)) {
                    found.add(mail);
                }
            }
        }
        return found;
    }

    private static MimeMessage awaitMail(String email, Predicate<MimeMessage> which) throws Exception {
        List<MimeMessage> mails = awaitMails(email, which, 1);
        return mails.get(mails.size() - 1);
    }

    private static List<MimeMessage> awaitMails(String email, Predicate<MimeMessage> which, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            List<MimeMessage> found = mailsTo(email, which);
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(count + " mails to " + email + " did not arrive over SMTP within 30 s");
    }

    private static String code(MimeMessage mail) throws Exception {
        Matcher code = CODE.matcher(text(mail));
        assertThat(code.find()).as("a code in the mail").isTrue();
        return code.group(1);
    }

    private static String text(MimeMessage mail) throws Exception {
        return read(part(mail, p -> p.isMimeType("text/plain")));
    }

    /** The first part of a (possibly nested multipart) message that matches. */
    private static Part part(Part message, PartTest which) throws Exception {
        if (which.test(message)) {
            return message;
        }
        if (message.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                try {
                    return part(body, which);
                } catch (NoSuchPart notHere) {
                    // look in the next part
                }
            }
        }
        throw new NoSuchPart();
    }

    private interface PartTest {
        boolean test(Part part) throws MessagingException;
    }

    private static final class NoSuchPart extends AssertionError {
        NoSuchPart() {
            super("no such part in the mail");
        }
    }

    private static String read(Part part) throws IOException, MessagingException {
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
