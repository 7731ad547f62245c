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
 * before the server ended it. Message counts are exact for unary calls (one in, one out when OK);
 * for streaming calls only the opening is counted, since messages are framed inside the gRPC
 * server. Runs on event loops; stateless apart from the families; thread-safe.
 */
public final class GrpcCallMetrics {
    private static final int CANCELED = 1;
    private static final int UNKNOWN = 2;

    private final GrpcFamilies grpc;
    private final LongAdder unaryRequests;
    private final LongAdder streamRequests;

    public GrpcCallMetrics(GrpcFamilies grpc, ServerFamilies server) {
        this.grpc = grpc;
        // etcd 3.4 labels client requests with the client's API version; every client Keel serves
        // speaks 3.5's API, which is the version a request without the header is counted under.
        this.unaryRequests = server.clientRequests.labels("3.5", "unary");
        this.streamRequests = server.clientRequests.labels("3.5", "stream");
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
        (unary ? unaryRequests : streamRequests).increment();
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
