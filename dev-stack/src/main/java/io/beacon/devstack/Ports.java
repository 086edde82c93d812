package io.beacon.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds concrete free loopback ports: Kafka and ClickHouse both need real port numbers up front. */
final class Ports {

    private Ports() {
    }

    /** Returns {@code port} if it is positive, otherwise a port that was free on 127.0.0.1 a moment ago. */
    static int orFree(int port) {
        return port > 0 ? port : free();
    }

    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }
}
