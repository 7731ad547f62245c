package io.keel.backend.grpc;

import io.keel.tracing.span.RequestTracer;
import io.keel.tracing.span.SpanHandle;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server span of a gRPC call that {@link ObservedUnary} does not handle (Cluster, Maintenance,
 * Health, the streaming and unimplemented methods), taken at the HTTP/2 level because Vert.x's
 * gRPC server has no tracing hook: named by the request path ({@code etcdserverpb.Cluster/MemberList}),
 * joined to the caller's trace, ended with the {@code grpc-status} the response carried.
 *
 * <p>Owner: the client listener. Thread-safety: stateless; runs on the call's event loop.
 */
public final class GrpcCallSpans {
    /** Calls of this service are observed by {@link ObservedKvService} itself. */
    private static final String OBSERVED_PREFIX = "/etcdserverpb.KV/";

    private GrpcCallSpans() {
    }

    /** Starts the call's span unless tracing is off or the call is observed elsewhere. */
    public static void around(HttpServerRequest req, RequestTracer tracer) {
        if (!tracer.enabled() || req.path().startsWith(OBSERVED_PREFIX) || req.path().length() < 2) {
            return;
        }
        SpanHandle span = tracer.startServerSpan(req.path().substring(1), req.headers(), ObservedUnary.HEADERS);
        if (!span.sampled()) {
            span.end();
            return;
        }
        AtomicBoolean ended = new AtomicBoolean();
        HttpServerResponse response = req.response();
        response.endHandler(v -> {
            if (ended.compareAndSet(false, true)) {
                String status = response.trailers().get("grpc-status");
                String message = response.trailers().get("grpc-message");
                if (status == null) {
                    status = response.headers().get("grpc-status");
                    message = response.headers().get("grpc-message");
                }
                span.grpcStatus(parseStatus(status), message).end();
            }
        });
        response.closeHandler(v -> {
            if (ended.compareAndSet(false, true)) {
                span.grpcStatus(1, "connection closed").end(); // CANCELLED
            }
        });
    }

    private static int parseStatus(String status) {
        try {
            return status == null ? 0 : Integer.parseInt(status.trim());
        } catch (NumberFormatException e) {
            return 2; // UNKNOWN
        }
    }
}
