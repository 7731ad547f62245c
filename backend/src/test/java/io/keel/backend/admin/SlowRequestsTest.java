package io.keel.backend.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.keel.api.etcdserverpb.CompactionRequest;
import io.keel.api.etcdserverpb.CompactionResponse;
import io.keel.api.etcdserverpb.DeleteRangeRequest;
import io.keel.api.etcdserverpb.DeleteRangeResponse;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.etcdserverpb.PutResponse;
import io.keel.api.etcdserverpb.RangeRequest;
import io.keel.api.etcdserverpb.RangeResponse;
import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.api.etcdserverpb.TxnRequest;
import io.keel.api.etcdserverpb.TxnResponse;
import io.keel.backend.RunningServer;
import io.keel.server.ServerBackends;
import io.keel.server.kv.KvBackend;
import io.keel.server.observe.CallTrace;
import io.keel.server.observe.Observability;
import io.keel.tracing.log.KeelLoggerFactory;
import io.keel.tracing.log.LogLevel;
import io.keel.tracing.log.LogPipeline;
import io.keel.tracing.log.StreamOutput;
import io.keel.tracing.otel.RequestTracers;
import io.keel.tracing.otel.TracingConfig;
import io.keel.tracing.span.NoopRequestTracer;
import io.keel.tracing.span.RequestTracer;
import io.keel.tracing.steps.ApplyWarnings;
import io.keel.tracing.steps.StepClock;
import io.keel.tracing.steps.StepTraceConfig;
import io.keel.tracing.steps.StepTracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A slow request through a real gRPC server: etcd's one-line step trace in JSON, the
 * {@code /api/slow-requests} page with the trace id, and level filtering of the line. "Slow" is
 * made deterministic with a threshold of one nanosecond rather than by sleeping.
 */
class SlowRequestsTest {
    private static final Duration ONE_NANO = Duration.ofNanos(1);
    private static final String GO_DURATION = "[0-9.]+(ns|µs|ms|s|m|h)";
    private static final String ETCD_TS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    private Observability observability(LogLevel level, RequestTracer tracer) {
        KeelLoggerFactory logs = new KeelLoggerFactory(new LogPipeline(level, List.of(new StreamOutput(logged)),
                System::currentTimeMillis));
        StepTraceConfig config = new StepTraceConfig(ONE_NANO, ONE_NANO, 16);
        StepTracer steps = new StepTracer(config, StepClock.system(), logs.getLogger(StepTracer.class.getName()), () -> 7);
        return new Observability(tracer, steps, new ApplyWarnings(config, StepClock.system(),
                logs.getLogger(ApplyWarnings.class.getName())));
    }

    private List<JsonObject> lines() {
        List<JsonObject> out = new ArrayList<>();
        for (String line : logged.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                out.add(new JsonObject(line));
            }
        }
        return out;
    }

    private static void put(RunningServer s, String traceparent) throws Exception {
        var builder = Client.builder().endpoints(s.endpoint);
        if (traceparent != null) {
            builder.header("traceparent", traceparent);
        }
        try (Client c = builder.build()) {
            c.getKVClient().put(ByteSequence.from("slow-key", StandardCharsets.UTF_8),
                    ByteSequence.from("v", StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSlowPutIsLoggedInEtcdsShapeAndServedOnTheSlowRequestPage() throws Exception {
        Observability obs = observability(LogLevel.INFO, NoopRequestTracer.INSTANCE);
        try (RunningServer s = RunningServer.start(ServerBackends.unwired().withKv(new SteppingKv()), obs)) {
            put(s, null);

            List<JsonObject> traces = lines().stream().filter(l -> l.getString("msg").startsWith("trace[")).toList();
            assertThat(traces).hasSize(1);
            JsonObject line = traces.get(0);
            assertThat(new ArrayList<>(line.fieldNames())).containsExactly("level", "ts", "caller", "msg", "detail",
                    "duration", "start", "end", "steps", "step_count");
            assertThat(line.getString("level")).isEqualTo("info");
            assertThat(line.getString("ts")).matches(ETCD_TS);
            assertThat(line.getString("caller")).isEqualTo("steps/StepTracer.java");
            assertThat(line.getString("msg")).isEqualTo("trace[7] put");
            assertThat(line.getString("detail")).matches("\\{key:slow-key; req_size:\\d+; response_revision:42; }");
            assertThat(line.getString("duration")).matches(GO_DURATION);
            assertThat(line.getString("start")).matches(ETCD_TS);
            assertThat(line.getString("end")).matches(ETCD_TS);
            assertThat(line.getJsonArray("steps").getString(0))
                    .matches("trace\\[7] 'process raft request'  \\(duration: " + GO_DURATION + "\\)");
            assertThat(line.getInteger("step_count")).isEqualTo(1);

            JsonArray page = slowRequests(s).getJsonArray("slow_requests");
            assertThat(page).hasSize(1);
            JsonObject kept = page.getJsonObject(0);
            assertThat(kept.getInteger("trace")).isEqualTo(7);
            assertThat(kept.getString("operation")).isEqualTo("put");
            assertThat(kept.getString("detail")).isEqualTo(line.getString("detail"));
            assertThat(kept.getString("trace_id")).isEmpty();
            assertThat(kept.getJsonArray("steps")).isEqualTo(line.getJsonArray("steps"));
        }
    }

    @Test
    void aSampledSlowRequestCarriesItsTraceIdInTheLineAndOnThePage() throws Exception {
        CollectingExporter exported = new CollectingExporter();
        RequestTracer tracer = RequestTracers.withExporter(TracingConfig.enabledDefaults(), exported);
        Observability obs = observability(LogLevel.INFO, tracer);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        try (RunningServer s = RunningServer.start(ServerBackends.unwired().withKv(new SteppingKv()), obs)) {
            put(s, "00-" + traceId + "-00f067aa0ba902b7-01");
            JsonObject line = lines().stream().filter(l -> l.getString("msg").startsWith("trace[")).findFirst()
                    .orElseThrow();
            assertThat(line.getString("trace-id")).isEqualTo(traceId);
            assertThat(slowRequests(s).getJsonArray("slow_requests").getJsonObject(0).getString("trace_id"))
                    .isEqualTo(traceId);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (exported.spans.stream().noneMatch(sp -> sp.getName().equals("etcdserverpb.KV/Put"))
                    && System.nanoTime() < deadline) {
                tracer.flush(Duration.ofSeconds(5));
            }
            assertThat(exported.spans).anySatisfy(span -> {
                assertThat(span.getName()).isEqualTo("etcdserverpb.KV/Put");
                assertThat(span.getTraceId()).isEqualTo(traceId);
                assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
            });
        } finally {
            tracer.close();
        }
    }

    @Test
    void atWarnLevelTheInfoLineIsFilteredButTheSlowRequestIsStillKept() throws Exception {
        Observability obs = observability(LogLevel.WARN, NoopRequestTracer.INSTANCE);
        try (RunningServer s = RunningServer.start(ServerBackends.unwired().withKv(new SteppingKv()), obs)) {
            put(s, null);
            assertThat(lines()).isEmpty();
            assertThat(slowRequests(s).getJsonArray("slow_requests")).hasSize(1);
        }
    }

    private static JsonObject slowRequests(RunningServer s) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(s.endpoint + SlowRequestsEndpoint.PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        return new JsonObject(r.body());
    }

    /** A KV back end that records the step a real put records, and answers at revision 42. */
    private static final class SteppingKv implements KvBackend {
        @Override
        public CompletionStage<PutResponse> put(PutRequest request, CallTrace trace) {
            trace.step("process raft request");
            trace.addField(io.keel.tracing.steps.Field.of("response_revision", 42));
            return CompletableFuture.completedFuture(PutResponse.newBuilder()
                    .setHeader(ResponseHeader.newBuilder().setRevision(42)).build());
        }

        @Override
        public CompletionStage<PutResponse> put(PutRequest request) {
            return put(request, CallTrace.untraced());
        }

        @Override
        public CompletionStage<RangeResponse> range(RangeRequest request) {
            return CompletableFuture.completedFuture(RangeResponse.getDefaultInstance());
        }

        @Override
        public CompletionStage<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
            return CompletableFuture.completedFuture(DeleteRangeResponse.getDefaultInstance());
        }

        @Override
        public CompletionStage<TxnResponse> txn(TxnRequest request) {
            return CompletableFuture.completedFuture(TxnResponse.getDefaultInstance());
        }

        @Override
        public CompletionStage<CompactionResponse> compact(CompactionRequest request) {
            return CompletableFuture.completedFuture(CompactionResponse.getDefaultInstance());
        }
    }

    /** Keeps what the SDK exports. */
    private static final class CollectingExporter implements SpanExporter {
        final List<SpanData> spans = new java.util.concurrent.CopyOnWriteArrayList<>();

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
