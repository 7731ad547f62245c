package io.keel.backend.metrics;

import io.keel.server.metrics.GrpcFamilies;
import io.keel.server.metrics.ServerFamilies;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts gRPC calls at the HTTP/2 stream, as grpc-prometheus does in etcd's interceptor: started,
 * handled by status code, handling time, client bytes. Vert.x's gRPC server has no interceptors,
 * so the call is watched from its stream: the response's close handler (always called for an
 * HTTP/2 stream) reads {@code grpc-status}, or counts {@code Canceled} if the stream was reset
 * before the server ended it. Message counts are exact for unary calls (one in, one out when OK)
 * and the single request of a server-streaming call; every other message of a streaming call is
 * counted by its handler ({@link io.keel.backend.grpc.StreamMessages}), since messages are framed
 * inside the gRPC server. Runs on event loops; stateless apart from the families; thread-safe.
 */
public final class GrpcCallMetrics {
    private static final int CANCELED = 1;
    private static final int UNKNOWN = 2;

    /** Bound on distinct client versions kept as label values; others count as "unknown". */
    private static final int MAX_VERSIONS = 16;
    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("\\d{1,3}\\.\\d{1,3}");

    private final GrpcFamilies grpc;
    private final ServerFamilies server;
    /** Per client API version: [unary, stream] series, looked up without allocating once seen. */
    private final java.util.concurrent.ConcurrentHashMap<String, LongAdder[]> byVersion =
            new java.util.concurrent.ConcurrentHashMap<>();

    public GrpcCallMetrics(GrpcFamilies grpc, ServerFamilies server) {
        this.grpc = grpc;
        this.server = server;
    }

    /** etcd labels client requests with the {@code client-api-version} header, "unknown" without it. */
    private LongAdder clientRequests(String header, boolean unary) {
        // Fast path: a version seen before is a key already (only valid versions become keys).
        LongAdder[] cells = byVersion.get(header == null ? "unknown" : header);
        if (cells == null) {
            String version = header != null && VERSION.matcher(header).matches() ? header : "unknown";
            if (byVersion.size() >= MAX_VERSIONS) {
                version = "unknown";
            }
            cells = byVersion.computeIfAbsent(version, v -> new LongAdder[] {
                    server.clientRequests.labels(v, "unary"), server.clientRequests.labels(v, "stream")});
        }
        return cells[unary ? 0 : 1];
    }

    /** Starts watching {@code req}; call before the gRPC server handles it. Event loop. */
    public void track(HttpServerRequest req) {
        GrpcFamilies.MethodCells m = grpc.method(req.path());
        if (m == null) {
            return;
        }
        long start = System.nanoTime();
        m.started();
        boolean unary = m.unary();
        clientRequests(req.getHeader("client-api-version"), unary).increment();
        if (unary || "server_stream".equals(m.type())) {
            m.messageReceived();
        }
        HttpServerResponse resp = req.response();
        resp.closeHandler(v -> {
            int code = resp.ended() ? statusOf(resp) : CANCELED;
            if (code == 0 && unary) {
                m.messageSent();
            }
            m.handled(code, System.nanoTime() - start);
            grpc.clientReceivedBytes.add(req.bytesRead());
            grpc.clientSentBytes.add(resp.bytesWritten());
        });
    }

    private static int statusOf(HttpServerResponse resp) {
        String s = resp.trailers().get("grpc-status");
        if (s == null) {
            s = resp.headers().get("grpc-status");
        }
        if (s == null) {
            return UNKNOWN;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
    }
}
