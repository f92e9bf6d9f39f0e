package io.holdfast.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a spare loopback port to a real server (a database), so a test can take that server away from
 * the application without touching the machine's shared server: {@link #cut()} closes every forwarded connection
 * and resets new ones at once, as a crashed database would; {@link #stall()} keeps every connection open but passes
 * no more bytes either way, as a hung server or a network that drops packets would; {@link #restore()} forwards
 * again. The proxy keeps listening on its port while it is cut: when it closed its listener instead, another
 * process on the machine (the spare ports are shared by every suite running here) once took the port during a cut,
 * and the restore failed with "Address already in use". One pair of forwarding threads per connection.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private volatile boolean stalled;
    private volatile boolean cut;

    private TcpProxy(String targetHost, int targetPort, int port) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = port;
    }

    /**
     * Starts forwarding from a {@link SparePorts spare port}, kept until {@link #close()}, to
     * {@code targetHost:targetPort}.
     */
    public static TcpProxy start(String targetHost, int targetPort) {
        TcpProxy proxy = new TcpProxy(targetHost, targetPort, 0);
        for (int attempt = 0; ; attempt++) {
            try {
                proxy.listen(SparePorts.next());
                return proxy;
            } catch (IllegalStateException taken) {
                if (attempt == 20) {
                    throw taken;
                }
            }
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Closes every forwarded connection, and resets every new one as soon as it is accepted: a client's connect
     * or its first read fails at once, as against a server that is not running.
     */
    public synchronized void cut() {
        cut = true;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** Connections stay open and new ones are accepted, but no byte is forwarded until {@link #restore()}. */
    public synchronized void stall() {
        stalled = true;
    }

    /** Forwards again (new connections after a cut; the held bytes pass on after a stall). */
    public synchronized void restore() {
        cut = false;
        if (stalled) {
            stalled = false;
            notifyAll();
        }
    }

    /** Closes every forwarded connection and gives the port back. */
    @Override
    public synchronized void close() {
        cut();
        closeQuietly(listener);
    }

    private void listen(int on) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), on));
            listener = server;
            Thread acceptor = new Thread(() -> accept(server), "tcp-proxy-accept-" + server.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot listen on loopback port " + on, e);
        }
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            if (cut) {
                reset(client);
                continue;
            }
            try {
                // While stalled, the upstream connection is made but nothing crosses it (see pump): the client's
                // connect succeeds and its first read hangs, as with a server that stopped answering.
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException targetDown) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    awaitNotStalled();
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException closed) {
                // cut() or the other side hung up: the connection is over either way, and finally ends it
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-" + from.getPort());
        thread.setDaemon(true);
        thread.start();
    }

    private synchronized void awaitNotStalled() throws IOException {
        while (stalled) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stalled", e);
            }
        }
    }

    /** Closes with an RST rather than a FIN, so the client learns at once that no server is there. */
    private static void reset(Socket client) {
        try {
            client.setSoLinger(true, 0);
        } catch (IOException alreadyClosed) {
            // closing is all we wanted
        }
        closeQuietly(client);
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (IOException alreadyClosed) {
            // closing is all we wanted
        }
    }
}
