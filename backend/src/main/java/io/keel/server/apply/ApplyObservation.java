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

    /**
     * One request being applied: its {@code apply} span and start time. A batch of requests
     * committed together has one open at a time per request, so the state lives here, not in the
     * observation.
     */
    static final class Applying {
        private final SpanHandle span;
        private final long startNanos;
        /** The request's own MVCC work in a group commit; -1: not measured apart (from begin to end). */
        private long writeStartNanos;
        private long writeNanos = -1;

        private Applying(SpanHandle span, long startNanos) {
            this.span = span;
            this.startNanos = startNanos;
        }
    }

    Applying begin(InternalRequest req) {
        long start = warnings.now();
        return new Applying(traces.startApply(req.getId()), start);
    }

    /** The span of the MVCC write inside {@code applying}; the caller ends it. */
    SpanHandle startWrite(Applying applying) {
        applying.writeStartNanos = warnings.now();
        applying.writeNanos = -1;
        return applying.span.startChild(SpanStep.MVCC_WRITE);
    }

    /**
     * Marks the end of the request's own work inside a group commit: its slow-apply warning then
     * measures that work only, as etcd's does (its backend commits in the background), not the
     * writes queued before it or the batch's shared commit. The spans still show the whole wait.
     */
    void written(Applying applying) {
        applying.writeNanos = warnings.now() - applying.writeStartNanos;
    }

    void end(Applying applying, InternalRequest req, ApplyResult result) {
        String error = result.failed() ? result.error().getMessage() : null;
        if (error != null) {
            applying.span.fail(error);
        }
        applying.span.end();
        traces.applied(req.getId());
        // ApplyWarnings measures from a start to now: shift the start to measure only the work.
        long start = applying.writeNanos >= 0 ? warnings.now() - applying.writeNanos : applying.startNanos;
        if (warnings.isLong(start)) {
            slowApplies.run();
            warnings.warnIfLong(start, "", ApplyRequestText.of(req), "", error);
        }
        if (error != null) {
            warnings.failed(start, ApplyRequestText.of(req), "", error);
        }
    }
}
