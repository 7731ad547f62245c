package io.keel.server.observe;

import io.keel.tracing.span.NoopSpanHandle;
import io.keel.tracing.span.SpanHandle;
import io.keel.tracing.steps.Field;
import io.keel.tracing.steps.Trace;

/**
 * What one client call carries through the server: its distributed-tracing span (the gRPC server
 * span; {@link NoopSpanHandle} when not traced) and its etcd-style step trace (null when the call
 * is not step-traced, e.g. internal proposals).
 *
 * <p>Owner: the call, from the gRPC layer to the reply. Thread-safety: the span is thread-safe;
 * the step trace is handed between threads only through futures, which order the hand-off.
 */
public record CallTrace(SpanHandle span, Trace steps) {
    private static final CallTrace UNTRACED = new CallTrace(NoopSpanHandle.INSTANCE, null);

    /** No span, no step trace. */
    public static CallTrace untraced() {
        return UNTRACED;
    }

    /** Records a step in the step trace, if there is one. */
    public void step(String msg, Field... fields) {
        if (steps != null) {
            steps.step(msg, fields);
        }
    }

    /** Adds detail fields to the step trace, if there is one. */
    public void addField(Field... fields) {
        if (steps != null) {
            steps.addField(fields);
        }
    }
}
