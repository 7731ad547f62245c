package io.keel.tracing.span;

import java.util.Map;

/**
 * The span handle of disabled tracing: records nothing, carries nothing.
 *
 * <p>Owner: shared singleton. Thread-safety: stateless, thread-safe.
 */
public enum NoopSpanHandle implements SpanHandle {
    INSTANCE;

    private static final byte[] NOTHING = new byte[0];

    @Override
    public SpanHandle startChild(SpanStep step) {
        return this;
    }

    @Override
    public SpanHandle startReplicate(long peerId) {
        return this;
    }

    @Override
    public SpanHandle setAttribute(String key, String value) {
        return this;
    }

    @Override
    public SpanHandle setAttribute(String key, long value) {
        return this;
    }

    @Override
    public SpanHandle addEvent(String name) {
        return this;
    }

    @Override
    public SpanHandle addEvent(String name, String key, String value) {
        return this;
    }

    @Override
    public SpanHandle fail(String message) {
        return this;
    }

    @Override
    public SpanHandle grpcStatus(int code, String message) {
        return this;
    }

    @Override
    public void end() {
    }

    @Override
    public boolean sampled() {
        return false;
    }

    @Override
    public String traceId() {
        return "";
    }

    @Override
    public byte[] toBytes() {
        return NOTHING;
    }

    @Override
    public void injectInto(Map<String, String> carrier) {
    }
}
