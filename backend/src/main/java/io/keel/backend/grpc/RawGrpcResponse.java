package io.keel.backend.grpc;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.server.GrpcServerResponse;
import java.lang.reflect.Field;

/**
 * The HTTP/2 response under a Vert.x gRPC server stream, so that a watch stream can write many
 * gRPC messages it framed itself ({@link WatchResponseEncoder#frames}) with one write. Vert.x's
 * gRPC server writes each message as its own HTTP/2 write (a Netty write, promise, outbound
 * buffer entry and DATA frame per message): with 100 watchers on a stream that per-message cost
 * was most of a member's CPU on the watch fan-out row, where grpc-go (etcd) packs what a stream
 * has queued into one frame. Vert.x 5.0 has no public way to reach the response, so it is read
 * from the implementation's field; when that is not there (another Vert.x version) this answers
 * null and the stream writes message by message as before ({@code RawGrpcResponseTest} fails
 * then, so an upgrade that loses the fast path is noticed). Stateless; thread-safe.
 */
final class RawGrpcResponse {
    private static final Field FIELD = find();

    private RawGrpcResponse() {
    }

    /** The response under {@code r}, or null when this Vert.x version hides it. */
    static HttpServerResponse of(GrpcServerResponse<?, ?> r) {
        if (FIELD == null || !FIELD.getDeclaringClass().isInstance(r)) {
            return null;
        }
        try {
            return (HttpServerResponse) FIELD.get(r);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the fast path is available with this Vert.x version. */
    static boolean available() {
        return FIELD != null;
    }

    private static Field find() {
        try {
            Class<?> impl = Class.forName("io.vertx.grpc.server.impl.GrpcServerResponseImpl");
            Field f = impl.getDeclaredField("httpResponse");
            if (!HttpServerResponse.class.isAssignableFrom(f.getType())) {
                return null;
            }
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
