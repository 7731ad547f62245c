package io.keel.server.observe;

import io.keel.server.config.ObservabilityConfig;
import io.keel.tracing.otel.RequestTracers;
import io.keel.tracing.span.NoopRequestTracer;
import io.keel.tracing.span.RequestTracer;
import io.keel.tracing.steps.ApplyWarnings;
import io.keel.tracing.steps.StepTraceConfig;
import io.keel.tracing.steps.StepTracer;
import java.time.Duration;

/**
 * One member's observability parts, made once at startup and handed to the server's layers:
 * the distributed tracer, the step tracer with its slow-request buffer, the apply warnings and
 * the per-request span registry.
 *
 * <p>Owner: the member; {@link #close()} on shutdown flushes the exporter. Thread-safety: thread-safe.
 */
public final class Observability implements AutoCloseable {
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);

    private final RequestTracer tracer;
    private final StepTracer steps;
    private final ApplyWarnings applyWarnings;
    private final EntryTraces entries;

    public Observability(RequestTracer tracer, StepTraceConfig stepConfig) {
        this(tracer, new StepTracer(stepConfig), new ApplyWarnings(stepConfig));
    }

    public Observability(RequestTracer tracer, StepTracer steps, ApplyWarnings applyWarnings) {
        this.tracer = tracer;
        this.steps = steps;
        this.applyWarnings = applyWarnings;
        this.entries = new EntryTraces(tracer);
    }

    /** From the flags: an OTLP exporter when {@code --enable-distributed-tracing}, else no tracing. */
    public static Observability fromConfig(ObservabilityConfig config) {
        return new Observability(RequestTracers.fromConfig(config.tracing()), config.steps());
    }

    /** Tracing off, etcd's default thresholds (tests and embedded use). */
    public static Observability defaults() {
        return new Observability(NoopRequestTracer.INSTANCE, StepTraceConfig.defaults());
    }

    public RequestTracer tracer() {
        return tracer;
    }

    public StepTracer steps() {
        return steps;
    }

    public ApplyWarnings applyWarnings() {
        return applyWarnings;
    }

    public EntryTraces entries() {
        return entries;
    }

    /** Exports what is queued and stops the exporter. */
    @Override
    public void close() {
        tracer.flush(FLUSH_TIMEOUT);
        tracer.close();
    }
}
