package io.keel.backend.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.keel.backend.RunningServer;
import io.keel.server.ServerBackends;
import io.keel.server.observe.Observability;
import io.keel.tracing.otel.RequestTracers;
import io.keel.tracing.otel.TracingConfig;
import io.keel.tracing.span.RequestTracer;
import io.keel.tracing.steps.StepTraceConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Server spans of the gRPC calls outside KV, taken at the HTTP/2 level, with their gRPC status. */
class GrpcCallSpansTest {
    @Test
    void anUnimplementedClusterCallGetsAServerSpanInTheCallersTraceWithItsStatus() throws Exception {
        Collecting exported = new Collecting();
        RequestTracer tracer = RequestTracers.withExporter(TracingConfig.enabledDefaults(), exported);
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        try (RunningServer s = RunningServer.start(ServerBackends.unwired(),
                new Observability(tracer, StepTraceConfig.defaults()));
             Client c = Client.builder().endpoints(s.endpoint)
                     .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01").build()) {
            assertThatThrownBy(() -> c.getClusterClient().listMember().get(30, TimeUnit.SECONDS))
                    .hasMessageContaining("Method not found: etcdserverpb.Cluster/MemberList");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (exported.spans.isEmpty() && System.nanoTime() < deadline) {
                tracer.flush(Duration.ofSeconds(5));
            }
        } finally {
            tracer.close();
        }
        assertThat(exported.spans).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("etcdserverpb.Cluster/MemberList");
            assertThat(span.getTraceId()).isEqualTo(traceId);
            assertThat(span.getParentSpanId()).isEqualTo("b7ad6b7169203331");
            assertThat(span.getAttributes().get(AttributeKey.longKey("rpc.grpc.status_code"))).isEqualTo(12L);
        });
    }

    private static final class Collecting implements SpanExporter {
        final List<SpanData> spans = new CopyOnWriteArrayList<>();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
