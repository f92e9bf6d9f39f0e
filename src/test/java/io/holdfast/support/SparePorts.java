package io.holdfast.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers a test starts, stops and starts again on the same port (Redis, SMTP). They are taken
 * below the kernel's ephemeral range (32768 and up), which a random port ({@code new ServerSocket(0)}) comes from:
 * there, while the server is stopped, any outgoing connection of any process on the machine may be given the port
 * and keep the server from starting again.
 */
public final class SparePorts {

    private static final int FROM = 10_000;
    private static final int COUNT = 10_000;

    private SparePorts() {
    }

    /** A port in 10000-19999 that nothing listens on now. */
    public static int next() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = FROM + ThreadLocalRandom.current().nextInt(COUNT);
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free loopback port in " + FROM + "-" + (FROM + COUNT - 1));
    }

    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException used) {
            return false;
        }
    }
}
