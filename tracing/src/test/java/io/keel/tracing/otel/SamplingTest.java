package io.keel.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.tracing.span.SpanHandle;
import io.keel.tracing.span.SpanStep;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** etcd's sampler: parent-based, with new traces sampled at the rate per million. */
class SamplingTest {
    private static final String SAMPLED_PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String UNSAMPLED_PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();

    private OtelRequestTracer tracer(int perMillion) {
        return new OtelRequestTracer(TracingConfig.enabledDefaults().withSamplingRatePerMillion(perMillion), exported);
    }

    private int exportedAfter(OtelRequestTracer tracer, int requests, Map<String, String> metadata) {
        for (int i = 0; i < requests; i++) {
            SpanHandle span = tracer.startServerSpan("etcdserverpb.KV/Range", metadata);
            span.startChild(SpanStep.MVCC_READ).end();
            span.end();
        }
        assertThat(tracer.flush(Duration.ofSeconds(10))).isTrue();
        return exported.getFinishedSpanItems().size();
    }

    @Test
    void rateZeroSamplesNoNewTraceAndChildrenCostNoSpan() {
        try (OtelRequestTracer tracer = tracer(0)) {
            SpanHandle span = tracer.startServerSpan("etcdserverpb.KV/Range", Map.of());
            assertThat(span.sampled()).isFalse();
            assertThat(span.traceId()).isEmpty();
            assertThat(span.startChild(SpanStep.MVCC_READ)).isSameAs(span);
            assertThat(span.toBytes()).hasSize(PeerContextCodec.HEADER_BYTES); // the not-sampled decision travels
            span.end();
            assertThat(exportedAfter(tracer, 100, Map.of())).isZero();
        }
    }

    @Test
    void rateZeroStillFollowsACallerThatSampled() {
        try (OtelRequestTracer tracer = tracer(0)) {
            assertThat(exportedAfter(tracer, 3, Map.of("traceparent", SAMPLED_PARENT))).isEqualTo(6);
        }
    }

    @Test
    void fullRateSamplesEveryNewTraceButRespectsACallerThatDidNot() {
        try (OtelRequestTracer tracer = tracer(1_000_000)) {
            assertThat(exportedAfter(tracer, 50, Map.of())).isEqualTo(100);
            exported.reset();
            assertThat(exportedAfter(tracer, 50, Map.of("traceparent", UNSAMPLED_PARENT))).isZero();
        }
    }

    @Test
    void halfAMillionPerMillionSamplesAboutHalfOfNewTraces() {
        try (OtelRequestTracer tracer = tracer(500_000)) {
            // 1000 requests keep the sampled spans (about 1000) under the processor's queue bound,
            // so none is dropped. Expected 500 traces, standard deviation about 16.
            int requests = 1000;
            int spans = exportedAfter(tracer, requests, Map.of());
            assertThat(spans % 2).isZero();
            assertThat(spans / 2).isBetween(400, 600);
        }
    }

    @Test
    void samplerIsParentBasedOverTheConfiguredRatio() {
        assertThat(OtelRequestTracer.sampler(TracingConfig.enabledDefaults().withSamplingRatePerMillion(250))
                .getDescription()).contains("ParentBased").contains("TraceIdRatioBased{0.000250}");
        assertThat(OtelRequestTracer.sampler(TracingConfig.enabledDefaults()).getDescription())
                .contains("root:AlwaysOffSampler");
    }
}
