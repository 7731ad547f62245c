package io.keel.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jaegertracing.internal.JaegerSpanContext;
import io.jaegertracing.internal.JaegerTracer;
import io.jaegertracing.internal.reporters.InMemoryReporter;
import io.jaegertracing.internal.samplers.ConstSampler;
import io.keel.tracing.span.MetadataGetter;
import io.keel.tracing.span.RequestTracer;
import io.keel.tracing.span.SpanHandle;
import io.keel.tracing.span.SpanStep;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMapAdapter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Callers' trace contexts are joined whichever format they arrive in. */
class PropagationTest {
    private InMemorySpanExporter exported;
    private RequestTracer tracer;

    /**
     * A new tracer for each flush: OpenTelemetry's batch processor completes a flush before it
     * clears the request, so a flush issued right after another can be handed the earlier, already
     * completed result and return before the new span is exported.
     */
    @BeforeEach
    void open() {
        exported = InMemorySpanExporter.create();
        tracer = RequestTracers.withExporter(TracingConfig.enabledDefaults(), exported);
    }

    @AfterEach
    void close() {
        tracer.close();
    }

    private SpanData finishedServerSpan(Map<String, String> metadata) {
        tracer.startServerSpan("etcdserverpb.KV/Range", metadata).end();
        assertThat(tracer.flush(Duration.ofSeconds(10))).isTrue();
        List<SpanData> spans = exported.getFinishedSpanItems();
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }

    @Test
    void joinsAW3cTraceparentWithItsTracestate() {
        SpanData span = finishedServerSpan(Map.of(
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "tracestate", "congo=t61rcWkgMzE"));
        assertThat(span.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(span.getParentSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(span.getSpanContext().getTraceState().get("congo")).isEqualTo("t61rcWkgMzE");
        assertThat(span.getName()).isEqualTo("etcdserverpb.KV/Range");
    }

    @Test
    void joinsTheUberTraceIdOfARealJaegerClient() {
        for (boolean wide : new boolean[] {false, true}) {
            close();
            open();
            JaegerTracer.Builder builder = new JaegerTracer.Builder("jaeger-caller")
                    .withReporter(new InMemoryReporter()).withSampler(new ConstSampler(true));
            if (wide) {
                builder.withTraceId128Bit();
            }
            try (JaegerTracer jaeger = builder.build()) {
                io.opentracing.Span call = jaeger.buildSpan("client call").start();
                Map<String, String> headers = new HashMap<>();
                jaeger.inject(call.context(), Format.Builtin.HTTP_HEADERS, new TextMapAdapter(headers));
                assertThat(headers).containsKey("uber-trace-id").doesNotContainKey("traceparent");

                // gRPC metadata keys arrive lower-cased, as the getter is asked for them.
                SpanData span = finishedServerSpan(headers);
                JaegerSpanContext caller = (JaegerSpanContext) call.context();
                assertThat(span.getTraceId()).as("128-bit: %s", wide)
                        .isEqualTo(String.format("%016x%016x", caller.getTraceIdHigh(), caller.getTraceIdLow()));
                assertThat(span.getParentSpanId()).isEqualTo(String.format("%016x", caller.getSpanId()));
                assertThat(span.getSpanContext().isSampled()).isTrue();
                call.finish();
            }
        }
    }

    @Test
    void prefersTraceparentWhenACallerSendsBoth() {
        SpanData span = finishedServerSpan(Map.of(
                "uber-trace-id", "00000000000000000000000000000abc:0000000000000def:0:1",
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        assertThat(span.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void readsMetadataThroughACustomGetterOnly() {
        Map<String, List<String>> multi = Map.of("traceparent",
                List.of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        MetadataGetter<Map<String, List<String>>> getter = (carrier, key) ->
                carrier.containsKey(key) ? carrier.get(key).get(0) : null;
        tracer.startServerSpan("etcdserverpb.Watch/Watch", multi, getter).end();
        assertThat(tracer.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(exported.getFinishedSpanItems().get(0).getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void textHeadersInjectedOnOneMemberAreContinuedOnAnother() {
        SpanHandle server = tracer.startServerSpan("etcdserverpb.KV/Put",
                Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        Map<String, String> carried = new HashMap<>();
        server.injectInto(carried);
        assertThat(carried).containsKeys("traceparent", "uber-trace-id");

        tracer.continueFromPeer(SpanStep.FOLLOWER_APPEND, carried).end();
        server.end();
        assertThat(tracer.flush(Duration.ofSeconds(10))).isTrue();
        List<SpanData> spans = exported.getFinishedSpanItems();
        SpanData peer = spans.stream().filter(s -> s.getName().equals("raft.follower_append")).findFirst().orElseThrow();
        SpanData put = spans.stream().filter(s -> s.getName().equals("etcdserverpb.KV/Put")).findFirst().orElseThrow();
        assertThat(peer.getParentSpanId()).isEqualTo(put.getSpanId());
        assertThat(peer.getTraceId()).isEqualTo(put.getTraceId());
    }
}
