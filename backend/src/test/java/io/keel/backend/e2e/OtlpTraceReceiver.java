package io.keel.backend.e2e;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Test helper: an OTLP/gRPC trace collector of our own, on a free 127.0.0.1 port (Vert.x gRPC,
 * opentelemetry-proto messages), keeping every span Keel members export to it.
 * Thread-safety: thread-safe; the event loop adds, the test thread waits.
 */
final class OtlpTraceReceiver implements AutoCloseable {
    private static final ServiceMethod<ExportTraceServiceRequest, ExportTraceServiceResponse> EXPORT =
            ServiceMethod.server(ServiceName.create("opentelemetry.proto.collector.trace.v1", "TraceService"),
                    "Export", GrpcMessageEncoder.encoder(),
                    GrpcMessageDecoder.decoder(ExportTraceServiceRequest.newBuilder()));

    /** One received span with its resource's instance id; ids in lower-case hex. */
    record ReceivedSpan(String service, String instance, String name, String traceId, String spanId,
                        String parentSpanId, Span.SpanKind kind, Map<String, String> attributes,
                        List<String> events, int statusCode) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<ReceivedSpan> spans = new ArrayList<>();

    OtlpTraceReceiver() throws Exception {
        GrpcServer grpc = GrpcServer.server(vertx);
        grpc.callHandler(EXPORT, call -> call.handler(request -> {
            record(request);
            call.response().end(ExportTraceServiceResponse.getDefaultInstance());
        }));
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(grpc).listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** {@code 127.0.0.1:port}, the value for {@code --distributed-tracing-address}. */
    String address() {
        return "127.0.0.1:" + server.actualPort();
    }

    private synchronized void record(ExportTraceServiceRequest request) {
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Map<String, String> resource = attributes(resourceSpans.getResource().getAttributesList());
            for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    spans.add(new ReceivedSpan(resource.get("service.name"), resource.get("service.instance.id"),
                            span.getName(), hex(span.getTraceId()), hex(span.getSpanId()),
                            hex(span.getParentSpanId()), span.getKind(), attributes(span.getAttributesList()),
                            span.getEventsList().stream().map(Span.Event::getName).toList(),
                            span.getStatus().getCodeValue()));
                }
            }
        }
        notifyAll();
    }

    /** Waits until the spans received satisfy {@code done}, at most {@code timeout}; returns them all. */
    synchronized List<ReceivedSpan> await(Predicate<List<ReceivedSpan>> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(spans)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the spans received never became complete: " + spans);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(spans);
    }

    private static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> out = new TreeMap<>();
        for (KeyValue kv : list) {
            var v = kv.getValue();
            out.put(kv.getKey(), v.hasIntValue() ? Long.toString(v.getIntValue()) : v.getStringValue());
        }
        return out;
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
