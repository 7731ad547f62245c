package io.keel.backend;

import io.keel.backend.grpc.EtcdGrpcServer;
import io.keel.backend.http.ClientListener;
import io.keel.backend.http.HttpEndpoints;
import io.keel.server.ServerBackends;
import io.keel.server.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.GrpcServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One Keel member's network face: a listener per {@code --listen-client-urls} entry serving gRPC
 * and HTTP on the same port, in front of the {@link ServerBackends}. Created by {@link KeelMain}
 * (or a test); {@link #start} and {@link #stop} are called from one thread, the event loops do the rest.
 */
public final class KeelServer {
    private final Vertx vertx;
    private final ServerConfig config;
    private final ServerBackends backends;
    private final List<ClientListener> clientListeners = new ArrayList<>();
    private final List<URI> boundClientUrls = new ArrayList<>();

    public KeelServer(Vertx vertx, ServerConfig config, ServerBackends backends) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config").validate();
        this.backends = Objects.requireNonNull(backends, "backends");
    }

    /** Binds every client URL; completes once all listen. */
    public Future<KeelServer> start() {
        GrpcServer grpc = EtcdGrpcServer.create(vertx, backends, new EtcdGrpcServer.Limits(
                EtcdGrpcServer.DEFAULT_MAX_IN_FLIGHT, EtcdGrpcServer.DEFAULT_MAX_IN_FLIGHT,
                EtcdGrpcServer.DEFAULT_MAX_IN_FLIGHT, config.maxTxnOps(), config.maxReceiveMessageBytes()));
        HttpEndpoints http = new HttpEndpoints(backends.health());
        List<Future<Integer>> ports = new ArrayList<>();
        for (URI url : config.listenClientUrls()) {
            ClientListener listener = new ClientListener(vertx, url, grpc, http);
            clientListeners.add(listener);
            ports.add(listener.start());
        }
        return Future.all(ports).map(all -> {
            for (int i = 0; i < ports.size(); i++) {
                URI u = clientListeners.get(i).url();
                boundClientUrls.add(URI.create(u.getScheme() + "://" + u.getHost() + ":" + ports.get(i).result()));
            }
            return this;
        });
    }

    /** The client URLs as bound (a port 0 in the flags is replaced by the port the OS chose). */
    public List<URI> boundClientUrls() {
        return List.copyOf(boundClientUrls);
    }

    public Future<Void> stop() {
        List<Future<Void>> stops = clientListeners.stream().map(ClientListener::stop).toList();
        return Future.join(stops).mapEmpty();
    }
}
