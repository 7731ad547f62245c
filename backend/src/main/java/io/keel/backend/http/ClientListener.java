package io.keel.backend.http;

import io.keel.backend.grpc.GrpcCallSpans;
import io.keel.tracing.span.NoopRequestTracer;
import io.keel.tracing.span.RequestTracer;
import io.keel.backend.metrics.GrpcCallMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.server.GrpcServer;
import java.net.URI;
import java.util.Objects;

/**
 * One client URL's listener: gRPC (HTTP/2, cleartext with prior knowledge, as etcd clients speak
 * it) and plain HTTP on the same port, told apart by content type, as etcd does. Owned by
 * {@link io.keel.backend.KeelServer}; {@link #start} and {@link #stop} are called from one thread.
 */
public final class ClientListener {
    private final Vertx vertx;
    private final URI url;
    private final Handler<HttpServerRequest> dispatcher;
    private HttpServer server;

    public ClientListener(Vertx vertx, URI url, GrpcServer grpc, Handler<HttpServerRequest> http) {
        this(vertx, url, grpc, http, NoopRequestTracer.INSTANCE, null);
    }

    /**
     * A listener whose gRPC calls get server spans from {@code tracer} (see {@link GrpcCallSpans})
     * and are counted by {@code calls} (null: not counted).
     */
    public ClientListener(Vertx vertx, URI url, GrpcServer grpc, Handler<HttpServerRequest> http,
                          RequestTracer tracer, GrpcCallMetrics calls) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.url = Objects.requireNonNull(url, "url");
        Objects.requireNonNull(grpc, "grpc");
        Objects.requireNonNull(http, "http");
        this.dispatcher = req -> {
            String type = req.getHeader("content-type");
            if (type != null && type.startsWith("application/grpc")) {
                GrpcCallSpans.around(req, tracer);
                if (calls != null) {
                    calls.track(req);
                }
                grpc.handle(req);
            } else {
                http.handle(req);
            }
        };
    }

    /** Binds the port; completes with the port actually bound (useful when the URL says port 0). */
    public Future<Integer> start() {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(url.getHost()).setPort(url.getPort()))
                .connectionHandler(c -> {
                    GrpcGoAuthorityFix.install(c);
                    FlushCoalescing.install(c);
                })
                .requestHandler(dispatcher);
        return server.listen().map(HttpServer::actualPort);
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    public URI url() {
        return url;
    }
}
