package io.holdfast.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy the database-down and webhook tests cut and stall: what a cut and a stall do to clients, and that it keeps
 * its port.
 */
class TcpProxyTest {

    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void startEchoServerBehindTheProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread server = new Thread(this::echoEveryConnection, "echo");
        server.setDaemon(true);
        server.start();
        proxy = TcpProxy.start("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsThenFailsEveryConnectionWhileCutThenForwardsAgain() throws IOException {
        try (Socket before = connect()) {
            assertThat(roundTrip(before, "one")).isEqualTo("one");
            proxy.cut();
            assertThatThrownBy(() -> roundTrip(before, "two")).isInstanceOf(IOException.class);
        }
        try (Socket during = connect()) {
            assertThatThrownBy(() -> roundTrip(during, "three")).isInstanceOf(IOException.class);
        }
        proxy.restore();
        try (Socket after = connect()) {
            assertThat(roundTrip(after, "four")).isEqualTo("four");
        }
    }

    /**
     * A stall is a server that went silent, not one that went away: connections made before and during it stay open
     * and nothing comes back on them (a read waits for its own timeout, it is not ended), and what was sent meanwhile
     * is held, not lost: it arrives once the stall ends, as after a healed network partition.
     */
    @Test
    void holdsEveryByteWhileStalledWithoutClosingAnythingThenPassesThemOn() throws IOException {
        try (Socket before = connect()) {
            assertThat(roundTrip(before, "one")).isEqualTo("one");
            proxy.stall();
            before.setSoTimeout(500);
            assertThatThrownBy(() -> roundTrip(before, "two")).as("nothing comes back, nothing is closed")
                    .isInstanceOf(SocketTimeoutException.class);
            try (Socket during = connect()) {
                during.setSoTimeout(500);
                assertThatThrownBy(() -> roundTrip(during, "three")).as("a new connection is accepted and hangs")
                        .isInstanceOf(SocketTimeoutException.class);
                assertThat(before.isClosed() || during.isClosed()).isFalse();

                proxy.restore();
                before.setSoTimeout(5_000);
                during.setSoTimeout(5_000);
                assertThat(readLine(before)).as("the bytes held during the stall").isEqualTo("two");
                assertThat(readLine(during)).isEqualTo("three");
                assertThat(roundTrip(during, "four")).isEqualTo("four");
            }
            assertThat(roundTrip(before, "five")).isEqualTo("five");
        }
    }

    @Test
    void noOtherListenerCanTakeThePortWhileItIsCut() {
        proxy.cut();
        assertThatThrownBy(() -> {
            try (ServerSocket other = new ServerSocket()) {
                other.setReuseAddress(true);
                other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()));
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("in use");
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** Sends a line and reads the echo; an IOException when the connection is closed or reset. */
    private static String roundTrip(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return readLine(socket);
    }

    private static String readLine(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("closed by the proxy after \"" + line + "\"");
            }
            line.append((char) b);
        }
        return line.toString();
    }

    private void echoEveryConnection() {
        while (!echo.isClosed()) {
            try {
                Socket client = echo.accept();
                Thread pump = new Thread(() -> {
                    try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException over) {
                        // the proxy closed this connection: nothing more to echo
                    }
                }, "echo-connection");
                pump.setDaemon(true);
                pump.start();
            } catch (IOException closed) {
                return;
            }
        }
    }
}
