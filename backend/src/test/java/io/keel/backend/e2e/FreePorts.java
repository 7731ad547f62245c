package io.keel.backend.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks ports the OS reports free on 127.0.0.1, never the same one twice in this JVM: a port is
 * released as soon as it is picked, and the OS may hand the same one out again to the next pick
 * (a CI run once gave one member's client port to another member as its peer port, and the second
 * member failed with "Address already in use"). Thread-safe.
 */
final class FreePorts {
    private static final Set<Integer> ISSUED = new HashSet<>();

    private FreePorts() {
    }

    static synchronized int next() {
        while (true) {
            int port = pick();
            if (ISSUED.add(port)) {
                return port;
            }
        }
    }

    private static int pick() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
