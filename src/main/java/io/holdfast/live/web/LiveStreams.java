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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

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
 * viewer. Streams that fail a write are dropped.
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

    private static final class Stream {
        final SseEmitter emitter;
        final String network;
        final Channel channel;
        final int stripe;

        Stream(SseEmitter emitter, String network, Channel channel, int stripe) {
            this.emitter = emitter;
            this.network = network;
            this.channel = channel;
            this.stripe = stripe;
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

    SseEmitter open(Channel channel, String address, long version) {
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
        SseEmitter emitter = new SseEmitter(settings.streamTimeout().toMillis());
        Stream stream = new Stream(emitter, network, channel, Math.floorMod(opened.getAndIncrement(), STRIPES));
        // Handed to the stripe before the stream joins its channel: no event can go out ahead of it.
        Frame hello = Frame.of(SseEmitter.event().reconnectTime(3000).comment("version " + version));
        stripes[stream.stripe].execute(() -> send(stream, hello));
        Set<Stream> viewers = byChannel.compute(channel, (key, existing) -> {
            Set<Stream> set = existing != null ? existing : ConcurrentHashMap.newKeySet();
            set.add(stream);
            return set;
        });
        if (viewers.size() == 1) {
            firstViewer.accept(channel);
        }
        emitter.onCompletion(() -> close(stream));
        emitter.onTimeout(() -> close(stream));
        emitter.onError(failure -> close(stream));
        return emitter;
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
        byChannel.values().forEach(viewers -> viewers.forEach(stream -> {
            try {
                stream.emitter.send(SseEmitter.event().reconnectTime(1000).comment("server restarting"));
            } catch (IOException | IllegalStateException gone) {
                // the client left already; nothing to tell it
                close(stream);
            }
            stream.emitter.complete();
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
        try {
            stream.emitter.send(frame.parts());
        } catch (IOException | IllegalStateException gone) {
            close(stream);
            stream.emitter.completeWithError(gone);
        }
    }

    private void close(Stream stream) {
        Set<Stream> viewers = byChannel.get(stream.channel);
        if (viewers == null || !viewers.remove(stream)) {
            return;
        }
        open.decrementAndGet();
        byNetwork.computeIfPresent(stream.network, (network, count) -> count <= 1 ? null : count - 1);
        byChannel.computeIfPresent(stream.channel, (channel, set) -> {
            if (set.isEmpty()) {
                lastViewerGone.accept(channel);
                return null;
            }
            return set;
        });
    }

    /**
     * An event as the bytes of the wire format, rendered once for all its viewers: {@link SseEmitter} would format
     * and encode it again for every stream, through the message converters, piece by piece. One part: written to the
     * stream in one go and flushed once.
     */
    private record Frame(Set<ResponseBodyEmitter.DataWithMediaType> parts) {

        static Frame of(SseEmitter.SseEventBuilder event) {
            StringBuilder text = new StringBuilder();
            for (ResponseBodyEmitter.DataWithMediaType part : event.build()) {
                if (!(part.getData() instanceof String piece)) {
                    throw new IllegalArgumentException("an event's data is rendered as text before it is framed");
                }
                text.append(piece);
            }
            return new Frame(Set.of(new ResponseBodyEmitter.DataWithMediaType(
                    text.toString().getBytes(StandardCharsets.UTF_8), MediaType.TEXT_EVENT_STREAM)));
        }
    }
}
