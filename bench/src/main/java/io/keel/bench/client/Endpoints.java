package io.keel.bench.client;

import io.vertx.core.net.SocketAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses etcd-style endpoint lists ({@code 127.0.0.1:2379,http://127.0.0.1:22379}) into socket
 * addresses. Stateless and thread-safe.
 */
public final class Endpoints {
    private Endpoints() {
    }

    public static List<SocketAddress> parse(String commaSeparated) {
        List<SocketAddress> out = new ArrayList<>();
        for (String raw : commaSeparated.split(",")) {
            String ep = raw.trim();
            if (ep.isEmpty()) {
                continue;
            }
            if (ep.startsWith("https://")) {
                throw new IllegalArgumentException("TLS endpoints are not supported: " + ep);
            }
            if (ep.startsWith("http://")) {
                ep = ep.substring("http://".length());
            }
            int slash = ep.indexOf('/');
            if (slash >= 0) {
                ep = ep.substring(0, slash);
            }
            int colon = ep.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("endpoint needs host:port: " + raw);
            }
            out.add(SocketAddress.inetSocketAddress(Integer.parseInt(ep.substring(colon + 1)), ep.substring(0, colon)));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no endpoints given");
        }
        return out;
    }
}
