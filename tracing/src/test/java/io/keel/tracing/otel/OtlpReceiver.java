package io.keel.tracing.otel;

import com.google.protobuf.ByteString;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: an OTLP/gRPC trace receiver on a free 127.0.0.1 port that keeps every span it is
 * sent. The gRPC service is declared by hand from the proto messages (no generated stubs needed).
 * Thread-safety: thread-safe; the gRPC threads add, the test thread waits.
 */
final class OtlpReceiver implements AutoCloseable {
    static final String SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";

    /** One received span, flattened with its resource attributes; ids in lower-case hex. */
    record ReceivedSpan(String service, String instance, String name, String traceId, String spanId,
                        String parentSpanId, Span.SpanKind kind, Map<String, String> attributes,
                        List<String> events, int statusCode) {
    }

    private final Server server;
    private final List<ReceivedSpan> spans = new ArrayList<>();
    private int exportCalls;

    OtlpReceiver() throws IOException {
        MethodDescriptor<ExportTraceServiceRequest, ExportTraceServiceResponse> export =
                MethodDescriptor.<ExportTraceServiceRequest, ExportTraceServiceResponse>newBuilder()
                        .setType(MethodDescriptor.MethodType.UNARY)
                        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Export"))
                        .setRequestMarshaller(ProtoUtils.marshaller(ExportTraceServiceRequest.getDefaultInstance()))
                        .setResponseMarshaller(ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
                        .build();
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(export, ServerCalls.asyncUnaryCall((request, response) -> {
                    record(request);
                    response.onNext(ExportTraceServiceResponse.getDefaultInstance());
                    response.onCompleted();
                }))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(service)
                .build()
                .start();
    }

    /** {@code 127.0.0.1:port}, the value for {@code --distributed-tracing-address}. */
    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    private synchronized void record(ExportTraceServiceRequest request) {
        exportCalls++;
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

    /** Waits until at least {@code count} spans arrived, at most {@code timeout}; returns all received. */
    synchronized List<ReceivedSpan> awaitSpans(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (spans.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("received " + spans.size() + " spans, wanted " + count + ": " + spans);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(spans);
    }

    synchronized List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    synchronized int exportCalls() {
        return exportCalls;
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
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
    }
}
