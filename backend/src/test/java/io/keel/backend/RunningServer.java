package io.keel.backend;

import io.keel.server.ServerBackends;
import io.keel.server.config.FlagException;
import io.keel.server.config.ServerConfig;
import io.keel.server.config.ServerConfigParser;
import io.keel.server.observe.Observability;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A Keel server on a free loopback port for one test, with the given back ends. */
public final class RunningServer implements AutoCloseable {
    public final Vertx vertx;
    public final KeelServer server;
    public final String endpoint;
    public final int port;

    private RunningServer(Vertx vertx, KeelServer server) {
        this.vertx = vertx;
        this.server = server;
        this.endpoint = server.boundClientUrls().get(0).toString();
        this.port = server.boundClientUrls().get(0).getPort();
    }

    public static RunningServer start(ServerBackends backends, String... extraFlags) throws Exception {
        return start(backends, Observability.defaults(), extraFlags);
    }

    /** A server observing its calls through {@code observability} (spans, step traces, slow-request page). */
    public static RunningServer start(ServerBackends backends, Observability observability, String... extraFlags)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        KeelServer server = new KeelServer(vertx, config(extraFlags), backends, m -> { },
                io.keel.backend.peer.PeerStatusListener.IGNORE).observe(observability);
        server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new RunningServer(vertx, server);
    }

    static ServerConfig config(String... extraFlags) throws FlagException {
        String[] base = {"--listen-client-urls", "http://127.0.0.1:0", "--advertise-client-urls", "http://127.0.0.1:0",
            "--listen-peer-urls", "http://127.0.0.1:0"};
        String[] all = new String[base.length + extraFlags.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extraFlags, 0, all, base.length, extraFlags.length);
        return ServerConfigParser.parse(all);
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
        try {
            server.stop().eventually(vertx::close).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping", e);
        }
    }
}
