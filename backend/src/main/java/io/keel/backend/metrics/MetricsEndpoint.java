package io.keel.backend.metrics;

import io.keel.server.metrics.Exposition;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * Serves {@code GET /metrics} in Prometheus text format. The scrape reads /proc and the store, so
 * it runs on a worker thread and the answer is written back on the event loop. Thread-safe.
 */
public final class MetricsEndpoint {
    private final Vertx vertx;
    private final MemberMetrics metrics;

    public MetricsEndpoint(Vertx vertx, MemberMetrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
    }

    public void handle(HttpServerRequest req) {
        vertx.executeBlocking(metrics::scrape, false).onComplete(ar -> {
            if (ar.succeeded()) {
                req.response().setStatusCode(200).putHeader("content-type", Exposition.CONTENT_TYPE).end(ar.result());
            } else {
                req.response().setStatusCode(500).putHeader("content-type", "text/plain; charset=utf-8")
                        .end("scrape failed: " + ar.cause() + "\n");
            }
        });
    }
}
