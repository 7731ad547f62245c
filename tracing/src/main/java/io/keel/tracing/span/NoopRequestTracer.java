package io.keel.tracing.span;

import java.time.Duration;
import java.util.Map;

/**
 * The tracer used when {@code --enable-distributed-tracing} is off: every call returns
 * {@link NoopSpanHandle#INSTANCE} without reading its arguments, so the hot path pays one virtual
 * call and no allocation.
 *
 * <p>Owner: shared singleton. Thread-safety: stateless, thread-safe.
 */
public enum NoopRequestTracer implements RequestTracer {
    INSTANCE;

    @Override
    public <C> SpanHandle startServerSpan(String fullMethod, C metadata, MetadataGetter<C> getter) {
        return NoopSpanHandle.INSTANCE;
    }

    @Override
    public SpanHandle startServerSpan(String fullMethod, Map<String, String> metadata) {
        return NoopSpanHandle.INSTANCE;
    }

    @Override
    public SpanHandle startRoot(String name) {
        return NoopSpanHandle.INSTANCE;
    }

    @Override
    public SpanHandle continueFromPeer(SpanStep step, byte[] carried) {
        return NoopSpanHandle.INSTANCE;
    }

    @Override
    public SpanHandle continueFromPeer(SpanStep step, Map<String, String> carried) {
        return NoopSpanHandle.INSTANCE;
    }

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public boolean flush(Duration timeout) {
        return true;
    }

    @Override
    public void close() {
    }
}
