package io.keel.tracing.span;

import java.time.Duration;
import java.util.Map;

/**
 * The server's entry to distributed tracing: starts the server span of a gRPC call from its
 * incoming metadata, and continues a trace on a peer from the bytes a Raft message carried. Made
 * by {@code io.keel.tracing.otel.RequestTracers.fromConfig}; when tracing is off it is
 * {@link NoopRequestTracer}, which returns one shared do-nothing handle.
 *
 * <p>Owner: the server, for its lifetime; {@link #close()} on shutdown. Thread-safety:
 * thread-safe.
 */
public interface RequestTracer extends AutoCloseable {
    /**
     * Starts the server span of a gRPC call, joining the caller's trace if its metadata carries a
     * W3C {@code traceparent} or a Jaeger {@code uber-trace-id}.
     *
     * @param fullMethod etcd's method name, {@code etcdserverpb.KV/Put}
     */
    <C> SpanHandle startServerSpan(String fullMethod, C metadata, MetadataGetter<C> getter);

    /** {@link #startServerSpan(String, Object, MetadataGetter)} over a plain header map. */
    default SpanHandle startServerSpan(String fullMethod, Map<String, String> metadata) {
        return startServerSpan(fullMethod, metadata, MetadataGetter.forMap());
    }

    /** Starts a root span for work no caller asked for (e.g. a periodic compaction). */
    SpanHandle startRoot(String name);

    /** On a peer: starts {@code step} as a child of the span whose {@link SpanHandle#toBytes()} arrived. */
    SpanHandle continueFromPeer(SpanStep step, byte[] carried);

    /** On a peer: the same, from text headers written by {@link SpanHandle#injectInto}. */
    SpanHandle continueFromPeer(SpanStep step, Map<String, String> carried);

    /** True when spans can be exported at all. */
    boolean enabled();

    /**
     * Exports what is queued; returns false when {@code timeout} passed first. With OpenTelemetry's
     * batch processor a flush issued right after another may return before spans ended in between
     * are exported (the SDK hands back the previous flush's result until its worker clears it).
     */
    boolean flush(Duration timeout);

    /** Flushes and stops the exporter. */
    @Override
    void close();
}
