package io.keel.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.tracing.span.NoopRequestTracer;
import io.keel.tracing.span.NoopSpanHandle;
import io.keel.tracing.span.RequestTracer;
import io.keel.tracing.span.SpanHandle;
import io.keel.tracing.span.SpanStep;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With --enable-distributed-tracing off there is no SDK, no span and no exporter thread. */
class DisabledTracingTest {

    private static Set<Thread> exporterThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("BatchSpanProcessor") || t.getName().startsWith("OkHttp"))
                .collect(Collectors.toSet());
    }

    /** Exporter threads started since {@code before} (threads of earlier tests may end meanwhile). */
    private static Set<Thread> startedSince(Set<Thread> before) {
        Set<Thread> now = exporterThreads();
        now.removeAll(before);
        return now;
    }

    @Test
    void disabledTracingIsTheNoopAndStartsNoThreadAndNoSpan() {
        Set<Thread> before = exporterThreads();
        RequestTracer tracer = RequestTracers.fromConfig(TracingConfig.defaults());
        assertThat(tracer).isSameAs(NoopRequestTracer.INSTANCE);
        assertThat(tracer.enabled()).isFalse();

        SpanHandle span = tracer.startServerSpan("etcdserverpb.KV/Put",
                Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        assertThat(span).isSameAs(NoopSpanHandle.INSTANCE);
        assertThat(span.startChild(SpanStep.PROPOSE)).isSameAs(NoopSpanHandle.INSTANCE);
        assertThat(span.startReplicate(2)).isSameAs(NoopSpanHandle.INSTANCE);
        assertThat(tracer.continueFromPeer(SpanStep.FOLLOWER_APPEND, new byte[26])).isSameAs(NoopSpanHandle.INSTANCE);
        assertThat(span.sampled()).isFalse();
        assertThat(span.traceId()).isEmpty();
        assertThat(span.toBytes()).isEmpty();
        Map<String, String> carrier = new HashMap<>();
        span.injectInto(carrier);
        assertThat(carrier).isEmpty();
        span.end();
        tracer.close();

        assertThat(startedSince(before)).isEmpty();
    }

    @Test
    void enabledTracingDoesStartTheExportThreadAndStopsItOnClose() throws Exception {
        // Proves the thread check above can see the exporter when there is one.
        Set<Thread> before = exporterThreads();
        OtelRequestTracer tracer = new OtelRequestTracer(TracingConfig.enabledDefaults(), InMemorySpanExporter.create());
        tracer.startRoot("compaction").end();
        assertThat(tracer.flush(Duration.ofSeconds(10))).isTrue();
        Set<Thread> started = startedSince(before);
        assertThat(started).extracting(Thread::getName).anyMatch(n -> n.startsWith("BatchSpanProcessor"));
        tracer.close();
        for (Thread thread : started) {
            thread.join(Duration.ofSeconds(10).toMillis());
            assertThat(thread.isAlive()).as(thread.getName()).isFalse();
        }
    }
}
