package io.keel.tracing.span;

import java.util.Map;

/**
 * One span of a request, and the context its children and peers continue. The server carries the
 * handle itself from thread to thread (in its queue items, proposals and Raft messages): nothing
 * here depends on a thread-local "current span".
 *
 * <p>Owner: the request; whoever starts a span ends it exactly once. Thread-safety: thread-safe;
 * a handle may be used from any thread.
 */
public interface SpanHandle {
    /** Starts a child span for {@code step}. */
    SpanHandle startChild(SpanStep step);

    /** Starts the {@link SpanStep#REPLICATE} child for one peer, tagged with its member id. */
    SpanHandle startReplicate(long peerId);

    /** Sets a string attribute; returns this. */
    SpanHandle setAttribute(String key, String value);

    /** Sets a numeric attribute; returns this. */
    SpanHandle setAttribute(String key, long value);

    /** Records a point-in-time event (e.g. "send raft proposal"); returns this. */
    SpanHandle addEvent(String name);

    /** Records an event with one attribute; returns this. */
    SpanHandle addEvent(String name, String key, String value);

    /** Marks the span failed with {@code message} (e.g. etcd's error string); returns this. */
    SpanHandle fail(String message);

    /**
     * Records the gRPC status the call ended with (numeric code as in {@code io.grpc.Status}) and
     * marks server errors failed, as OpenTelemetry's RPC conventions say; returns this.
     */
    SpanHandle grpcStatus(int code, String message);

    /** Ends the span. */
    void end();

    /** True when this span is sampled and will be exported. */
    boolean sampled();

    /** The 32-hex-digit trace id when sampled (the id to look up in Jaeger), else the empty string. */
    String traceId();

    /**
     * This span's context in a compact binary form for a Raft message; a peer passes it to
     * {@link RequestTracer#continueFromPeer(SpanStep, byte[])}. Empty when there is nothing to carry.
     */
    byte[] toBytes();

    /** Writes this span's context as text headers ({@code traceparent}, {@code uber-trace-id}, ...). */
    void injectInto(Map<String, String> carrier);
}
