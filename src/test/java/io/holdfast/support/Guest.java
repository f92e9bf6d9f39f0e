package io.holdfast.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/** What a guest does to prove an email address, over HTTP, reading the code from the admin outbox. */
public final class Guest {

    private static final Pattern CODE = Pattern.compile("Your code is (\\d{6})");

    private Guest() {
    }

    /** Requests a code for {@code email} from {@code clientAddress} and returns the mail's id and code. */
    public record Mailed(long id, String code) {
    }

    public static Api.Response requestCode(Api api, String email, String clientAddress) {
        return api.post("/api/v1/auth/otp", Map.of("email", email), "X-Forwarded-For", clientAddress);
    }

    public static Api.Response verifyCode(Api api, String email, String code, String clientAddress) {
        return api.post("/api/v1/auth/otp/verify", Map.of("email", email, "code", code), "X-Forwarded-For",
                clientAddress);
    }

    /** The newest mail id in the outbox for {@code email} (0 when none). */
    public static long newestMail(Api api, String email) {
        JsonNode mails = outbox(api, email, 0);
        return mails.isEmpty() ? 0 : mails.get(0).get("id").asLong();
    }

    /** Waits (mail is sent asynchronously) for a code mail to {@code email} newer than {@code afterId}. */
    public static Mailed awaitCode(Api api, String email, long afterId) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (JsonNode mail : outbox(api, email, afterId)) {
                Matcher code = CODE.matcher(mail.get("text").asString());
                if (code.find()) {
                    return new Mailed(mail.get("id").asLong(), code.group(1));
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("No code mail to " + email + " arrived in the outbox within 30 s");
    }

    /** Requests, reads and verifies a code: the whole guest flow; returns the session token. */
    public static String verify(Api api, String email, String clientAddress) {
        long before = newestMail(api, email);
        Api.Response requested = retryingUnavailable(() -> requestCode(api, email, clientAddress));
        assertThat(requested.status()).as("code request for %s: %s", email, requested).isEqualTo(202);
        Mailed mailed = awaitCode(api, email, before);
        Api.Response verified = retryingUnavailable(() -> verifyCode(api, email, mailed.code(), clientAddress));
        assertThat(verified.status()).as("code check for %s: %s", email, verified).isEqualTo(200);
        return verified.json().get("sessionToken").asString();
    }

    /**
     * A request sent again, as a client does with a 503 that carries {@code Retry-After}, when it is answered so (at most
     * twice): tests that sign many guests in at once on a loaded machine can find the pool busy for longer than its
     * timeout, and signing in is their set-up, not what they test. Tests of the 503 itself send their own requests.
     */
    private static Api.Response retryingUnavailable(java.util.function.Supplier<Api.Response> request) {
        Api.Response response = request.get();
        for (int retry = 0; retry < 2 && response.status() == 503
                && response.headers().firstValue("Retry-After").isPresent(); retry++) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            response = request.get();
        }
        return response;
    }

    public static JsonNode outbox(Api api, String email, long afterId) {
        Api.Response answer = api.admin("GET", "/api/v1/admin/outbox?to="
                + java.net.URLEncoder.encode(email, java.nio.charset.StandardCharsets.UTF_8) + "&after=" + afterId, null);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    /** Waits (mail is sent asynchronously) for a mail to {@code email} newer than {@code afterId} whose subject has the word. */
    public static JsonNode awaitMail(Api api, String email, long afterId, String subjectWord) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (JsonNode mail : outbox(api, email, afterId)) {
                if (mail.get("subject").asString().contains(subjectWord)) {
                    return mail;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("No '" + subjectWord + "' mail to " + email + " within 30 s");
    }

    /** The content of a mail's first attachment of this content type. */
    public static String attachment(JsonNode mail, String contentType) {
        for (JsonNode attachment : mail.get("attachments")) {
            if (attachment.get("contentType").asString().startsWith(contentType)) {
                return attachment.get("content").asString();
            }
        }
        throw new AssertionError("No " + contentType + " attachment in " + mail);
    }
}
