package io.keel.tracing.otel;

import io.keel.tracing.span.NoopRequestTracer;
import io.keel.tracing.span.RequestTracer;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Makes the server's {@link RequestTracer} from its flags: {@link NoopRequestTracer} when
 * {@code --enable-distributed-tracing} is off (no SDK, no exporter, no thread), else an
 * {@link OtelRequestTracer} exporting over OTLP/gRPC to {@code --distributed-tracing-address}
 * without TLS, as etcd does.
 *
 * <p>Owner: the server's startup code. Thread-safety: stateless.
 */
public final class RequestTracers {
    private RequestTracers() {
    }

    public static RequestTracer fromConfig(TracingConfig config) {
        config.validate();
        if (!config.enabled()) {
            return NoopRequestTracer.INSTANCE;
        }
        OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder()
                .setEndpoint(config.endpoint())
                .setTimeout(OtelRequestTracer.EXPORT_TIMEOUT)
                .build();
        return new OtelRequestTracer(config, exporter);
    }

    /**
     * A tracer exporting to {@code exporter} instead of OTLP (for tests of the server, e.g. with
     * OpenTelemetry's in-memory exporter). {@code config.enabled()} is ignored: tracing is on.
     */
    public static RequestTracer withExporter(TracingConfig config, SpanExporter exporter) {
        return new OtelRequestTracer(config, exporter);
    }
}
