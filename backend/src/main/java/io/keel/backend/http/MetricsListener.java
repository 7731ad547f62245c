package io.keel.backend.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;

/**
 * One {@code --listen-metrics-urls} listener: plain HTTP answering {@code /metrics} and the health
 * endpoints, as etcd's metrics listeners do, so Prometheus can scrape a port that serves no client
 * traffic. Owned by {@link io.keel.backend.KeelServer}; start and stop from one thread.
 */
public final class MetricsListener {
    private final Vertx vertx;
    private final URI url;
    private final Handler<HttpServerRequest> http;
    private HttpServer server;

    public MetricsListener(Vertx vertx, URI url, Handler<HttpServerRequest> http) {
        this.vertx = vertx;
        this.url = url;
        this.http = http;
    }

    /** Binds; completes with the bound port. */
    public Future<Integer> start() {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(url.getHost()).setPort(url.getPort()))
                .requestHandler(http);
        return server.listen().map(HttpServer::actualPort);
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    public URI url() {
        return url;
    }
}
