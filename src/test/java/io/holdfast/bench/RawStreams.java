package io.holdfast.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many server-sent-event streams on one thread: raw sockets on one NIO selector, each request written by hand and
 * each answer parsed as it arrives (status line, chunked body, event lines). Measurements use it instead of
 * {@link io.holdfast.support.SseClient} (a thread and an HTTP client's buffers per stream), so that 10,000 streams fit
 * in a small client and the time an event is received is the time its bytes were read, not when some reader thread
 * got the CPU among a thousand others.
 */
final class RawStreams implements AutoCloseable {

    /** Called on the selector thread for every complete event (not comments) of every stream. */
    interface Listener {
        void event(int stream, String name, String id, long receivedNanos);
    }

    private final Listener listener;
    private final Selector selector;
    private final Thread loop;
    private final Queue<Connection> connecting = new ConcurrentLinkedQueue<>();
    private int next;
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final ByteBuffer read = ByteBuffer.allocateDirect(64 * 1024);
    private volatile boolean running = true;

    private RawStreams(Listener listener) throws IOException {
        this.listener = listener;
        this.selector = Selector.open();
        this.loop = new Thread(this::run, "raw-streams");
        loop.setDaemon(true);
        loop.start();
    }

    static RawStreams start(Listener listener) throws IOException {
        return new RawStreams(listener);
    }

    /**
     * Opens {@code count} more streams of {@code path}, {@code batch} at a time (each batch answered before the next
     * is sent, so that no connection waits in an accept queue); fails if any is not answered 200 in time.
     */
    void open(int port, String path, int count, int batch, Duration timeout) throws InterruptedException {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int opened = 0; opened < count; opened += batch) {
            int size = Math.min(batch, count - opened);
            int target = answered.get() + size;
            for (int i = 0; i < size; i++) {
                connecting.add(new Connection(next++, port, request));
            }
            selector.wakeup();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (answered.get() < target) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException((target - answered.get()) + " of " + size
                            + " streams not answered within " + timeout);
                }
                Thread.sleep(5);
            }
            if (refused.get() > 0) {
                throw new IllegalStateException(refused.get() + " streams refused (not 200)");
            }
        }
    }

    /** Streams that were answered 200. */
    int open() {
        return answered.get() - refused.get();
    }

    /** Streams the server ended or whose connection failed. */
    int ended() {
        return ended.get();
    }

    private void run() {
        try {
            while (running) {
                selector.select(1_000);
                for (Connection connection; (connection = connecting.poll()) != null; ) {
                    try {
                        connection.connect();
                    } catch (IOException unreachable) {
                        answered.incrementAndGet();
                        refused.incrementAndGet();
                        ended.incrementAndGet();
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection connection = (Connection) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            connection.connected(key);
                        } else if (key.isReadable()) {
                            connection.read(key);
                        }
                    } catch (IOException broken) {
                        connection.end(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException failed) {
            if (running) {
                throw failed instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) failed;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        selector.wakeup();
        loop.join(10_000);
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException alreadyGone) {
                // closing what is closed already is the same as closing it
            }
        }
        try {
            selector.close();
        } catch (IOException alreadyGone) {
            // as above
        }
    }

    /** One stream: its socket and where its parser stands. */
    private final class Connection {

        private enum State { HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, PLAIN, DONE }

        private final int index;
        private final int port;
        private final ByteBuffer request;
        private final StringBuilder line = new StringBuilder();
        private State state = State.HEAD;
        private long chunkLeft;
        private String name;
        private String id;
        private boolean data;
        private boolean chunked;

        Connection(int index, int port, byte[] request) {
            this.index = index;
            this.port = port;
            this.request = ByteBuffer.wrap(request);
        }

        void connect() throws IOException {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            if (channel.connect(new InetSocketAddress("127.0.0.1", port))) {
                send(channel.register(selector, SelectionKey.OP_READ, this));
            } else {
                channel.register(selector, SelectionKey.OP_CONNECT, this);
            }
        }

        void connected(SelectionKey key) throws IOException {
            ((SocketChannel) key.channel()).finishConnect();
            key.interestOps(SelectionKey.OP_READ);
            send(key);
        }

        private void send(SelectionKey key) throws IOException {
            SocketChannel channel = (SocketChannel) key.channel();
            while (request.hasRemaining()) {
                if (channel.write(request) == 0) {
                    throw new IOException("a request of a few bytes did not fit the socket's send buffer");
                }
            }
        }

        void read(SelectionKey key) throws IOException {
            read.clear();
            int count = ((SocketChannel) key.channel()).read(read);
            long now = System.nanoTime();
            if (count < 0) {
                end(key);
                return;
            }
            read.flip();
            while (read.hasRemaining()) {
                take(read.get(), now);
            }
        }

        void end(SelectionKey key) {
            if (state == State.HEAD) {
                answered.incrementAndGet();
                refused.incrementAndGet();
            }
            if (state != State.DONE) {
                ended.incrementAndGet();
                state = State.DONE;
            }
            key.cancel();
            try {
                key.channel().close();
            } catch (IOException alreadyGone) {
                // it ended either way
            }
        }

        private void take(byte b, long now) {
            switch (state) {
                case HEAD -> {
                    line.append((char) b);
                    if (b == '\n' && line.length() >= 4 && line.lastIndexOf("\r\n\r\n") == line.length() - 4) {
                        String head = line.toString();
                        line.setLength(0);
                        int status = Integer.parseInt(head.substring(9, 12));
                        chunked = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
                        state = chunked ? State.CHUNK_SIZE : State.PLAIN;
                        answered.incrementAndGet();
                        if (status != 200) {
                            refused.incrementAndGet();
                        }
                    }
                }
                case CHUNK_SIZE -> {
                    if (b == '\n') {
                        String size = line.toString().trim();
                        line.setLength(0);
                        int extension = size.indexOf(';');
                        chunkLeft = Long.parseLong(extension < 0 ? size : size.substring(0, extension), 16);
                        state = chunkLeft == 0 ? State.DONE : State.CHUNK_DATA;
                    } else {
                        line.append((char) b);
                    }
                }
                case CHUNK_DATA -> {
                    event(b, now);
                    if (--chunkLeft == 0) {
                        state = State.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    if (b == '\n') {
                        state = State.CHUNK_SIZE;
                    }
                }
                case PLAIN -> event(b, now);
                case DONE -> {
                }
            }
        }

        /** The event-stream format: lines; a blank line ends an event (text is ASCII here: ids, names, JSON). */
        private void event(byte b, long now) {
            if (b != '\n') {
                line.append((char) b);
                return;
            }
            int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
            if (end == 0) {
                if (data) {
                    listener.event(index, name == null ? "message" : name, id, now);
                }
                name = null;
                data = false;
            } else if (startsWith("event:")) {
                name = line.substring(6, end).trim();
            } else if (startsWith("id:")) {
                id = line.substring(3, end).trim();
            } else if (startsWith("data:")) {
                data = true;
            }
            line.setLength(0);
        }

        private boolean startsWith(String prefix) {
            return line.length() >= prefix.length() && line.substring(0, prefix.length()).equals(prefix);
        }
    }
}
