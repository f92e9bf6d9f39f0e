package io.holdfast.live.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.holdfast.support.Api;
import io.holdfast.support.Fixtures;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A stream's exact bytes on the wire, read from a raw socket: the answer's head, the chunks, the first comment
 * ({@code retry}, {@code version}), a slot event, the heartbeat comment, and the end of the stream at its timeout
 * (the last chunk, the connection kept for the next request), after which its place is free again; and a client
 * that leaves is forgotten without the container's error page being dispatched into the stream.
 */
@ActiveProfiles("h2")
@TestPropertySource(properties = {"holdfast.live.heartbeat=300ms", "holdfast.live.stream-timeout=3s"})
@ExtendWith(OutputCaptureExtension.class)
class StreamWireFormatTest extends ServerTest {

    @Autowired
    LiveStreams streams;

    @Test
    void aStreamsBytesFromItsHeadToItsEnd(CapturedOutput output) throws Exception {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(2);
        long version = api.get("/api/v1/live/poll?staffId=" + salon.staffId() + "&date=" + day).json()
                .get("version").asLong();
        int openBefore = streams.openStreams();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/live/stream?staffId=" + salon.staffId() + "&date=" + day + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Chunks in = new Chunks(socket.getInputStream());

            assertThat(in.line()).isEqualTo("HTTP/1.1 200 ");
            Map<String, String> head = in.headers();
            assertThat(head.keySet()).containsExactlyInAnyOrder("x-request-id", "x-content-type-options",
                    "referrer-policy", "x-frame-options", "content-security-policy", "cache-control", "content-type",
                    "transfer-encoding", "date");
            assertThat(head.get("content-type")).isEqualTo("text/event-stream");
            assertThat(head.get("transfer-encoding")).isEqualTo("chunked");
            assertThat(head.get("cache-control")).isEqualTo("no-store");

            assertThat(in.event()).isEqualTo("retry:3000\n:version " + version + "\n\n");

            assertThat(fixtures.hold(Fixtures.clientId(), salon.staffId(), salon.serviceId(), salon.start(day, "10:00"))
                    .status()).isEqualTo(201);
            String event = in.skipping(":\n\n");
            assertThat(event).startsWith("event:slot\nid:").contains("\ndata:{").endsWith("}\n\n");
            assertThat(event.chars().filter(c -> c == '\n').count()).isEqualTo(4);
            JsonNode data = Api.JSON.readTree(event.substring(event.indexOf("data:") + 5).strip());
            assertThat(data.get("type").asString()).isEqualTo("held");
            assertThat(data.get("version").asLong()).isGreaterThan(version);
            assertThat(event).startsWith("event:slot\nid:" + data.get("version").asLong() + "\ndata:{");
            assertThat(data.get("times").get(0).asString()).isEqualTo("10:00");

            assertThat(in.event()).as("the heartbeat").isEqualTo(":\n\n");

            // The timeout ends the stream with the last chunk; the connection stays open for another request.
            assertThat(in.skipping(":\n\n")).isNull();
            assertThat(streams.openStreams()).isEqualTo(openBefore);
            out.write(("GET /api/v1/live/poll?staffId=" + salon.staffId() + "&date=" + day + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.line()).isEqualTo("HTTP/1.1 200 ");
        }
        assertThat(output.getAll()).as("a timeout is the stream's ordinary end, not a failure to log")
                .doesNotContain("AsyncRequestTimeoutException").doesNotContain("Failure in @ExceptionHandler");
    }

    @Test
    void aClientThatLeavesIsForgottenWithoutAnErrorPage(CapturedOutput output) throws Exception {
        var salon = fixtures.salon();
        LocalDate day = LocalDate.now(salon.zone()).plusDays(3);
        int openBefore = streams.openStreams();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/v1/live/stream?staffId=" + salon.staffId() + "&date=" + day
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Chunks in = new Chunks(socket.getInputStream());
            assertThat(in.line()).isEqualTo("HTTP/1.1 200 ");
            in.headers();
            assertThat(in.event()).startsWith("retry:3000\n");
            assertThat(streams.openStreams()).isEqualTo(openBefore + 1);
        }
        // The heartbeat's write finds the client gone (or the container sees it leave); either way it is forgotten.
        long deadline = System.currentTimeMillis() + 30_000;
        while (streams.openStreams() > openBefore && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(streams.openStreams()).isEqualTo(openBefore);
        Thread.sleep(1_000); // the container's error handling runs after the stream is forgotten
        assertThat(output.getAll()).doesNotContain("/error?staffId=").doesNotContain("Failure in @ExceptionHandler");
    }

    /** Reads an HTTP/1.1 answer's head and then its chunked body, one event (up to its blank line) at a time. */
    private static final class Chunks {
        private final InputStream in;
        private final StringBuilder body = new StringBuilder();
        private boolean ended;

        Chunks(InputStream in) {
            this.in = in;
        }

        String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new IOException("connection closed in a line");
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.UTF_8);
            assertThat(text).as("lines end in CRLF").endsWith("\r");
            return text.substring(0, text.length() - 1);
        }

        Map<String, String> headers() throws IOException {
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line; !(line = line()).isEmpty(); ) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            return headers;
        }

        /** The next event (text up to and with its blank line), or null when the body ended first. */
        String event() throws IOException {
            while (true) {
                int end = body.indexOf("\n\n");
                if (end >= 0) {
                    String event = body.substring(0, end + 2);
                    body.delete(0, end + 2);
                    return event;
                }
                if (ended) {
                    assertThat(body).as("nothing after the last event").isEmpty();
                    return null;
                }
                int size = Integer.parseInt(line(), 16);
                if (size == 0) {
                    assertThat(line()).as("no trailers").isEmpty();
                    ended = true;
                    continue;
                }
                byte[] chunk = in.readNBytes(size);
                body.append(new String(chunk, StandardCharsets.UTF_8));
                assertThat(line()).as("a chunk ends in CRLF").isEmpty();
            }
        }

        /** The next event other than {@code skipped}, or null when the body ended first. */
        String skipping(String skipped) throws IOException {
            try {
                String event;
                do {
                    event = event();
                } while (skipped.equals(event));
                return event;
            } catch (SocketTimeoutException silent) {
                throw new AssertionError("nothing more arrived in 10 s", silent);
            }
        }
    }
}
