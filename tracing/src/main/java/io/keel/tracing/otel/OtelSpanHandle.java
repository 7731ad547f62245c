package io.keel.tracing.otel;

import io.keel.tracing.span.SpanHandle;
import io.keel.tracing.span.SpanStep;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.Map;

/**
 * A {@link SpanHandle} over an OpenTelemetry span and the context holding it. Children are started
 * with this context as their explicit parent, never through {@code Context.current()}. A handle
 * whose span is not sampled returns itself for children: nothing would be exported, and the
 * context (with its not-sampled flag) still travels to peers.
 *
 * <p>Owner: the request; the starter ends it. Thread-safety: thread-safe (OpenTelemetry spans are).
 */
final class OtelSpanHandle implements SpanHandle {
    static final AttributeKey<String> PEER_ID = AttributeKey.stringKey("keel.raft.peer_id");
    static final AttributeKey<Long> GRPC_STATUS = AttributeKey.longKey("rpc.grpc.status_code");

    private final OtelRequestTracer owner;
    private final Span span;
    private final Context context;

    OtelSpanHandle(OtelRequestTracer owner, Span span, Context parent) {
        this.owner = owner;
        this.span = span;
        this.context = parent.with(span);
    }

    Span span() {
        return span;
    }

    @Override
    public SpanHandle startChild(SpanStep step) {
        if (!span.isRecording()) {
            return this;
        }
        return owner.start(step.spanName(), step.kind(), context);
    }

    @Override
    public SpanHandle startReplicate(long peerId) {
        if (!span.isRecording()) {
            return this;
        }
        OtelSpanHandle child = owner.start(SpanStep.REPLICATE.spanName(), SpanStep.REPLICATE.kind(), context);
        child.span.setAttribute(PEER_ID, Long.toHexString(peerId));
        return child;
    }

    @Override
    public SpanHandle setAttribute(String key, String value) {
        span.setAttribute(key, value);
        return this;
    }

    @Override
    public SpanHandle setAttribute(String key, long value) {
        span.setAttribute(key, value);
        return this;
    }

    @Override
    public SpanHandle addEvent(String name) {
        span.addEvent(name);
        return this;
    }

    @Override
    public SpanHandle addEvent(String name, String key, String value) {
        if (span.isRecording()) {
            span.addEvent(name, Attributes.of(AttributeKey.stringKey(key), value));
        }
        return this;
    }

    @Override
    public SpanHandle fail(String message) {
        span.setStatus(StatusCode.ERROR, message);
        return this;
    }

    @Override
    public SpanHandle grpcStatus(int code, String message) {
        span.setAttribute(GRPC_STATUS, (long) code);
        if (isServerError(code)) {
            span.setStatus(StatusCode.ERROR, message == null ? "" : message);
        }
        return this;
    }

    /** Codes OpenTelemetry's RPC conventions count as server-side failures. */
    static boolean isServerError(int code) {
        return switch (code) {
            case 2, 4, 12, 13, 14, 15 -> true; // UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS
            default -> false;
        };
    }

    @Override
    public void end() {
        span.end();
    }

    @Override
    public boolean sampled() {
        return span.getSpanContext().isSampled();
    }

    @Override
    public String traceId() {
        return sampled() ? span.getSpanContext().getTraceId() : "";
    }

    @Override
    public byte[] toBytes() {
        return PeerContextCodec.encode(context);
    }

    @Override
    public void injectInto(Map<String, String> carrier) {
        Propagation.COMPOSITE.inject(context, carrier, Propagation.MAP_SETTER);
    }
}
