package io.holdfast.live.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.holdfast.live.SlotEvent;
import io.holdfast.web.ApiProblem;
import io.holdfast.web.ClientNetwork;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The open server-sent-event streams of this instance, one channel per (staff member, day). Events are written by
 * a few single-threaded stripes; each stream belongs to one stripe (given in turn as streams open), so everything
 * a stream is sent goes out in the order it was handed over, and a channel's viewers are written by all stripes at
 * once (a day with a thousand viewers is not one thread's loop). A slow client holds up only its stripe, never the
 * request that caused the event. Each event is rendered once ({@link Frame}) and the same bytes go to every
 * viewer, written straight to the stream's response ({@link Stream}: the Servlet API's asynchronous request, not
 * {@link SseEmitter}, whose message converter, header look-ups and response wrappers cost each write about as much
 * as Tomcat's own part of it; issue #13, docs/benchmarks.md). Streams that fail a write are dropped.
 *
 * <p>Streams are limited per instance ({@link StreamCap}: connections and heap stay for ordinary requests) and per
 * client network ({@link ClientNetwork}: an IPv6 client's whole /64 counts as one address).
 */
@Component
public class LiveStreams {

    private static final Logger log = LoggerFactory.getLogger(LiveStreams.class);
    private static final int STRIPES = 4;

    public record Channel(long staffId, LocalDate date) {
    }

    /**
     * One open stream: an asynchronous request whose response is written by its stripe. Every write, and the end of
     * the stream, hold the stream's lock, and so do the container's calls that end it (timeout, error, completion):
     * once the container has finished a request it recycles the response for another, so nothing may be written
     * after that, nor while it happens.
     */
    private final class Stream implements AsyncListener {
        final String network;
        final Channel channel;
        final int stripe;
        private final ReentrantLock lock = new ReentrantLock();
        private final AtomicBoolean released = new AtomicBoolean();
        private AsyncContext async;
        private ServletOutputStream out;
        /** No more writes: the stream ended or a write failed. */
        private boolean ended;
        /** The request was completed (by this class or the container). */
        private boolean completed;

        Stream(String network, Channel channel, int stripe) {
            this.network = network;
            this.channel = channel;
            this.stripe = stripe;
        }

        void start(AsyncContext async, ServletOutputStream out) {
            lock.lock();
            try {
                this.async = async;
                this.out = out;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Writes and flushes the frame; false when the stream has ended or the write failed (the client left: the
         * container then reports the failure to {@link #onError}, which completes the request).
         */
        boolean write(Frame frame) {
            lock.lock();
            try {
                if (ended) {
                    return false;
                }
                out.write(frame.bytes());
                out.flush();
                return true;
            } catch (IOException gone) {
                ended = true;
                return false;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Ends the stream from this side, after a last frame (null: none). When that write fails the container
         * reports the failure to {@link #onError}, which completes the request.
         */
        void end(Frame last) {
            lock.lock();
            try {
                if (ended || (last != null && !write(last))) {
                    return;
                }
                ended = true;
                complete(async);
            } finally {
                lock.unlock();
            }
        }

        /** Completes the request once; the caller holds the lock. */
        private void complete(AsyncContext context) {
            if (completed) {
                return;
            }
            completed = true;
            try {
                context.complete();
            } catch (IllegalStateException endedAlready) {
                log.debug("The container ended the stream first", endedAlready);
            }
        }

        boolean ended() {
            lock.lock();
            try {
                return ended;
            } finally {
                lock.unlock();
            }
        }

        /** {@code holdfast.live.stream-timeout}: the stream ends, and the client reconnects. */
        @Override
        public void onTimeout(AsyncEvent event) {
            finish(event);
        }

        /** A failed write, or the client gone. */
        @Override
        public void onError(AsyncEvent event) {
            finish(event);
        }

        /**
         * Completes the request here: without it the container would answer a timeout or an error with an error page
         * dispatch, into a response that is a stream already.
         */
        private void finish(AsyncEvent event) {
            lock.lock();
            try {
                ended = true;
                complete(event.getAsyncContext());
            } finally {
                lock.unlock();
            }
            close(this);
        }

        @Override
        public void onComplete(AsyncEvent event) {
            lock.lock();
            try {
                ended = true;
                completed = true;
            } finally {
                lock.unlock();
            }
            close(this);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // started once, by open; never started again
        }
    }

    private final Map<Channel, Set<Stream>> byChannel = new ConcurrentHashMap<>();
    private final Map<String, Integer> byNetwork = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final ExecutorService[] stripes = new ExecutorService[STRIPES];
    private final LiveSettings settings;
    private final StreamCap cap;
    private final JsonMapper json;
    private volatile boolean closing;
    private volatile Consumer<Channel> firstViewer = channel -> { };
    private volatile Consumer<Channel> lastViewerGone = channel -> { };

    LiveStreams(LiveSettings settings, JsonMapper json, MeterRegistry metrics,
            @Value("${server.tomcat.max-connections:8192}") int maxConnections) {
        this.settings = settings;
        this.cap = StreamCap.of(settings.maxStreams(), maxConnections, Runtime.getRuntime().maxMemory());
        this.json = json;
        log.info("At most {} event streams on this instance: {}", cap.streams(), cap.reason());
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "live-stream-writer");
                thread.setDaemon(true);
                return thread;
            });
        }
        Gauge.builder("holdfast.live.streams.open", open, AtomicInteger::get)
                .description("Server-sent event streams open on this instance").register(metrics);
        Gauge.builder("holdfast.live.streams.max", cap, StreamCap::streams)
                .description("Server-sent event streams this instance keeps open at most").register(metrics);
    }

    /** Lets the Redis relay subscribe to a channel while this instance has viewers of it. */
    public void onChannelUse(Consumer<Channel> first, Consumer<Channel> last) {
        this.firstViewer = first;
        this.lastViewerGone = last;
    }

    /**
     * Opens a stream on this request: the answer's head and the stream's first comment ({@code retry}, {@code version})
     * are written here, in one go, before the stream joins its channel, so no event can go out ahead of them. The
     * request stays open (asynchronous) until the client leaves, {@code holdfast.live.stream-timeout} passes or the
     * server shuts down.
     */
    void open(Channel channel, String address, long version, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (open.incrementAndGet() > cap.streams()) {
            open.decrementAndGet();
            throw ApiProblem.rateLimited(Duration.ofSeconds(10),
                    "This server has no room for another stream; retry shortly or poll");
        }
        String network = ClientNetwork.of(address);
        boolean[] full = {false};
        byNetwork.compute(network, (key, count) -> {
            int streams = count == null ? 0 : count;
            full[0] = streams >= settings.maxStreamsPerIp();
            return full[0] ? count : streams + 1;
        });
        if (full[0]) {
            open.decrementAndGet();
            throw ApiProblem.rateLimited(Duration.ofSeconds(10), "Too many open streams from this address");
        }
        Stream stream = new Stream(network, channel, Math.floorMod(opened.getAndIncrement(), STRIPES));
        try {
            // The container's own request and response, not the wrappers Spring MVC hands to the controller (its
            // asynchronous-request wrapper guards every write with a lock and state of its own, which Stream has).
            AsyncContext async = request.startAsync();
            async.setTimeout(settings.streamTimeout().toMillis());
            async.addListener(stream);
            HttpServletResponse container = (HttpServletResponse) async.getResponse();
            container.setStatus(HttpServletResponse.SC_OK);
            container.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
            stream.start(async, container.getOutputStream());
        } catch (IOException | RuntimeException failed) {
            close(stream);
            throw failed;
        }
        if (!stream.write(Frame.of(SseEmitter.event().reconnectTime(3000).comment("version " + version)))) {
            close(stream); // the client left at once; the container ends the request
            return;
        }
        Set<Stream> viewers = byChannel.compute(channel, (key, existing) -> {
            Set<Stream> set = existing != null ? existing : ConcurrentHashMap.newKeySet();
            set.add(stream);
            return set;
        });
        if (viewers.size() == 1) {
            firstViewer.accept(channel);
        }
        if (stream.ended()) {
            close(stream); // it ended while it joined: it leaves again
        }
    }

    public void deliver(SlotEvent event) {
        Set<Stream> viewers = byChannel.get(new Channel(event.staffId(), event.date()));
        if (viewers == null || viewers.isEmpty()) {
            return;
        }
        send(viewers, Frame.of(SseEmitter.event().name("slot").id(String.valueOf(event.version()))
                .data(json.writeValueAsString(event))));
    }

    public void deliverMode(String mode, String at) {
        Frame frame = Frame.of(SseEmitter.event().name("mode")
                .data(json.writeValueAsString(Map.of("mode", mode, "at", at))));
        byChannel.values().forEach(viewers -> send(viewers, frame));
    }

    /** A comment line at least every 15 s keeps proxies from closing idle streams and finds dead clients. */
    void heartbeat() {
        Frame frame = Frame.of(SseEmitter.event().comment(""));
        byChannel.values().forEach(viewers -> send(viewers, frame));
    }

    int openStreams() {
        return open.get();
    }

    int maxStreams() {
        return cap.streams();
    }

    /**
     * On shutdown streams are closed with a retry hint, so clients reconnect to another instance. This runs when the
     * context starts closing, before the web server's graceful shutdown, which would otherwise wait for every open
     * stream (they never end by themselves) until its timeout.
     */
    @org.springframework.context.event.EventListener(org.springframework.context.event.ContextClosedEvent.class)
    void closeAll() {
        if (closing) {
            return;
        }
        closing = true;
        Frame restarting = Frame.of(SseEmitter.event().reconnectTime(1000).comment("server restarting"));
        byChannel.values().forEach(viewers -> viewers.forEach(stream -> {
            stream.end(restarting);
            close(stream);
        }));
        for (ExecutorService stripe : stripes) {
            stripe.shutdown();
        }
    }

    /** Every stripe writes the frame to its own streams among these viewers, all stripes at once. */
    private void send(Set<Stream> viewers, Frame frame) {
        for (int i = 0; i < STRIPES; i++) {
            int stripe = i;
            stripes[i].execute(() -> {
                for (Stream stream : viewers) {
                    if (stream.stripe == stripe) {
                        send(stream, frame);
                    }
                }
            });
        }
    }

    private void send(Stream stream, Frame frame) {
        if (!stream.write(frame)) {
            close(stream);
        }
    }

    /** Forgets a stream that ended (once, whoever notices first: the write that failed, the container's callback). */
    private void close(Stream stream) {
        Set<Stream> viewers = byChannel.get(stream.channel);
        boolean left = viewers != null && viewers.remove(stream);
        if (stream.released.compareAndSet(false, true)) {
            open.decrementAndGet();
            byNetwork.computeIfPresent(stream.network, (network, count) -> count <= 1 ? null : count - 1);
        }
        if (left) {
            byChannel.computeIfPresent(stream.channel, (channel, set) -> {
                if (set.isEmpty()) {
                    lastViewerGone.accept(channel);
                    return null;
                }
                return set;
            });
        }
    }

    /**
     * An event as the bytes of the wire format ({@link SseEmitter}'s, from its event builder), rendered once for all
     * its viewers, written to each stream in one go and flushed once.
     */
    private record Frame(byte[] bytes) {

        static Frame of(SseEmitter.SseEventBuilder event) {
            StringBuilder text = new StringBuilder();
            for (ResponseBodyEmitter.DataWithMediaType part : event.build()) {
                if (!(part.getData() instanceof String piece)) {
                    throw new IllegalArgumentException("an event's data is rendered as text before it is framed");
                }
                text.append(piece);
            }
            return new Frame(text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
