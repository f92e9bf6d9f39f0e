package io.holdfast.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;

/** A server-sent-events client for tests: connects, parses events into a queue, and is closed by the test. */
public final class SseClient implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Each stream is read on a thread of its own, never on the caller's (a completed future would run it there). */
    private static final java.util.concurrent.ExecutorService READERS = java.util.concurrent.Executors.newCachedThreadPool(
            runnable -> {
                Thread thread = new Thread(runnable, "sse-test-reader");
                thread.setDaemon(true);
                return thread;
            });

    /** Pseudo-event: a {@code retry:} line (the reconnect delay the server asks for, in ms, as data). */
    public static final String RETRY = "retry";
    /** Pseudo-event: the server ended the stream. */
    public static final String END = "end";

    /** One event: its name, its data (parsed when JSON), and when it arrived. */
    public record Event(String name, String data, long receivedNanos) {
        public JsonNode json() {
            return Api.JSON.readTree(data);
        }

        /** The wall-clock instant it arrived (from {@link #receivedNanos}, however long it then waited in the queue). */
        public Instant receivedAt() {
            return Instant.now().minusNanos(System.nanoTime() - receivedNanos);
        }
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile int status;

    private SseClient(String url, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        HttpRequest request = builder.GET().build();
        this.response = CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(answer -> {
            status = answer.statusCode();
            String name = "message";
            StringBuilder data = new StringBuilder();
            try (Stream<String> lines = answer.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            events.add(new Event(name, data.toString(), System.nanoTime()));
                        }
                        name = "message";
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    } else if (line.startsWith("retry:")) {
                        events.add(new Event(RETRY, line.substring(6).trim(), System.nanoTime()));
                    }
                }
                events.add(new Event(END, "", System.nanoTime()));
            } catch (RuntimeException closed) {
                events.add(new Event("closed", String.valueOf(closed.getMessage()), System.nanoTime()));
            }
        }, READERS);
    }

    public static SseClient open(String url) {
        return new SseClient(url);
    }

    /** A stream opened with extra request headers, given as name, value, name, value... */
    public static SseClient open(String url, String... headers) {
        return new SseClient(url, headers);
    }

    /** Waits until the server has answered the request (status known). */
    public int awaitStatus(Duration timeout) throws Exception {
        return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
    }

    /** The next event of this name, skipping others; null when none arrives in time. */
    public Event next(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Event event = events.poll(left, TimeUnit.NANOSECONDS);
            if (event == null || event.name().equals(name)) {
                return event;
            }
        }
    }

    /** The next {@code slot} event of this type ({@code held}, {@code released}, ...); fails when none arrives in time. */
    public Event nextSlot(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Event event = next("slot", Duration.ofNanos(deadline - System.nanoTime()));
            if (event != null && event.json().get("type").asString().equals(type)) {
                return event;
            }
        }
        throw new AssertionError("no '" + type + "' event within " + timeout);
    }

    public int status() {
        return status;
    }

    @Override
    public void close() {
        response.thenAccept(answer -> answer.body().close());
        response.cancel(true);
    }
}
