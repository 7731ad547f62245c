package io.keel.tracing.otel;

import io.keel.tracing.span.MetadataGetter;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.extension.trace.propagation.JaegerPropagator;
import java.util.Map;

/**
 * The propagation Keel speaks: W3C trace context (and baggage, as etcd) plus Jaeger's
 * {@code uber-trace-id}. Extraction runs Jaeger first and W3C last, so a caller sending both is
 * joined through its {@code traceparent}; injection writes both.
 *
 * <p>Owner: {@link OtelRequestTracer}. Thread-safety: stateless, thread-safe.
 */
final class Propagation {
    static final TextMapPropagator COMPOSITE = TextMapPropagator.composite(
            JaegerPropagator.getInstance(),
            W3CTraceContextPropagator.getInstance(),
            W3CBaggagePropagator.getInstance());

    static final TextMapSetter<Map<String, String>> MAP_SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.put(key, value);
        }
    };

    private Propagation() {
    }

    /** Adapts the server's getter to OpenTelemetry's. */
    static <C> TextMapGetter<C> getter(MetadataGetter<C> getter) {
        return new TextMapGetter<>() {
            @Override
            public Iterable<String> keys(C carrier) {
                return getter.keys(carrier);
            }

            @Override
            public String get(C carrier, String key) {
                return carrier == null ? null : getter.get(carrier, key);
            }
        };
    }
}
