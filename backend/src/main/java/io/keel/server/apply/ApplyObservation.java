package io.keel.server.apply;

import io.keel.api.internal.v1.InternalRequest;
import io.keel.server.observe.EntryTraces;
import io.keel.tracing.span.NoopRequestTracer;
import io.keel.tracing.span.SpanHandle;
import io.keel.tracing.span.SpanStep;
import io.keel.tracing.steps.ApplyWarnings;
import io.keel.tracing.steps.StepTraceConfig;

/**
 * What the apply loop records about each request: its {@code apply} and {@code mvcc.write} spans
 * (when the request is traced) and etcd's "apply request took too long" warning.
 *
 * <p>Owner: the {@link Applier}. Thread-safety: confined to the apply thread.
 */
public final class ApplyObservation {
    private final EntryTraces traces;
    private final ApplyWarnings warnings;
    private volatile Runnable slowApplies = () -> { };
    private SpanHandle current;
    private long startNanos;

    public ApplyObservation(EntryTraces traces, ApplyWarnings warnings) {
        this.traces = traces;
        this.warnings = warnings;
    }

    /** No spans; warnings at etcd's default 100 ms. */
    static ApplyObservation defaults() {
        return new ApplyObservation(new EntryTraces(NoopRequestTracer.INSTANCE),
                new ApplyWarnings(StepTraceConfig.defaults()));
    }

    /** Called on the apply thread for each apply over the warning threshold (etcd's slow_apply_total). */
    public ApplyObservation onSlowApply(Runnable listener) {
        this.slowApplies = java.util.Objects.requireNonNull(listener, "listener");
        return this;
    }

    void begin(InternalRequest req) {
        startNanos = warnings.now();
        current = traces.startApply(req.getId());
    }

    /** The span of the MVCC write inside the current apply; the caller ends it. */
    SpanHandle startWrite() {
        return current.startChild(SpanStep.MVCC_WRITE);
    }

    void end(InternalRequest req, ApplyResult result) {
        String error = result.failed() ? result.error().getMessage() : null;
        if (error != null) {
            current.fail(error);
        }
        current.end();
        traces.applied(req.getId());
        if (warnings.isLong(startNanos)) {
            slowApplies.run();
            warnings.warnIfLong(startNanos, "", ApplyRequestText.of(req), "", error);
        }
        if (error != null) {
            warnings.failed(startNanos, ApplyRequestText.of(req), "", error);
        }
    }
}
