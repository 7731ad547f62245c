package io.keel.tracing.otel;

import io.keel.tracing.span.MetadataGetter;
import io.keel.tracing.span.RequestTracer;
import io.keel.tracing.span.SpanHandle;
import io.keel.tracing.span.SpanStep;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry-backed {@link RequestTracer}: an SDK tracer provider with etcd's sampler
 * (parent-based, ratio for new traces), a resource naming the service and instance, and a batch
 * span processor with a bounded queue in front of the exporter (spans beyond the bound are dropped,
 * never queued without limit). No global OpenTelemetry instance is registered.
 *
 * <p>Owner: made by {@link RequestTracers}; the server owns it for its lifetime. Thread-safety:
 * thread-safe.
 */
public final class OtelRequestTracer implements RequestTracer {
    /** Instrumentation scope of Keel's spans. */
    public static final String SCOPE = "io.keel.tracing";
    /** Spans waiting for export; beyond this the batch processor drops them. */
    public static final int MAX_QUEUED_SPANS = 2048;
    public static final int MAX_EXPORT_BATCH = 512;
    public static final Duration EXPORT_DELAY = Duration.ofSeconds(5);
    public static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(10);

    static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    static final AttributeKey<String> SERVICE_INSTANCE_ID = AttributeKey.stringKey("service.instance.id");
    private static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
    private static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
    private static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    /** Builds the SDK around {@code exporter}; the tracer shuts the exporter down on close. */
    OtelRequestTracer(TracingConfig config, SpanExporter exporter) {
        config.validate();
        AttributesBuilder resource = Attributes.builder().put(SERVICE_NAME, config.serviceName());
        if (!config.instanceId().isEmpty()) {
            resource.put(SERVICE_INSTANCE_ID, config.instanceId());
        }
        BatchSpanProcessor batch = BatchSpanProcessor.builder(exporter)
                .setMaxQueueSize(MAX_QUEUED_SPANS)
                .setMaxExportBatchSize(MAX_EXPORT_BATCH)
                .setScheduleDelay(EXPORT_DELAY)
                .setExporterTimeout(EXPORT_TIMEOUT)
                .build();
        this.provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(resource.build())))
                .setSampler(sampler(config))
                .addSpanProcessor(batch)
                .build();
        this.tracer = provider.get(SCOPE);
    }

    /** etcd's sampler: follow the caller's decision; sample new traces at the configured ratio. */
    static Sampler sampler(TracingConfig config) {
        Sampler root = config.samplingRatePerMillion() == 0
                ? Sampler.alwaysOff()
                : Sampler.traceIdRatioBased(config.samplingRatio());
        return Sampler.parentBased(root);
    }

    @Override
    public <C> SpanHandle startServerSpan(String fullMethod, C metadata, MetadataGetter<C> getter) {
        Context parent = Propagation.COMPOSITE.extract(Context.root(), metadata, Propagation.getter(getter));
        int slash = fullMethod.lastIndexOf('/');
        Span span = tracer.spanBuilder(fullMethod)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(RPC_SYSTEM, "grpc")
                .setAttribute(RPC_SERVICE, slash < 0 ? fullMethod : fullMethod.substring(0, slash))
                .setAttribute(RPC_METHOD, slash < 0 ? fullMethod : fullMethod.substring(slash + 1))
                .startSpan();
        return new OtelSpanHandle(this, span, parent);
    }

    @Override
    public SpanHandle startRoot(String name) {
        return start(name, SpanStep.Kind.INTERNAL, Context.root());
    }

    @Override
    public SpanHandle continueFromPeer(SpanStep step, byte[] carried) {
        return start(step.spanName(), step.kind(), PeerContextCodec.decode(carried));
    }

    @Override
    public SpanHandle continueFromPeer(SpanStep step, Map<String, String> carried) {
        Context parent = Propagation.COMPOSITE.extract(Context.root(), carried,
                Propagation.getter(MetadataGetter.forMap()));
        return start(step.spanName(), step.kind(), parent);
    }

    OtelSpanHandle start(String name, SpanStep.Kind kind, Context parent) {
        Span span = tracer.spanBuilder(name).setParent(parent).setSpanKind(kindOf(kind)).startSpan();
        return new OtelSpanHandle(this, span, parent);
    }

    private static SpanKind kindOf(SpanStep.Kind kind) {
        return switch (kind) {
            case INTERNAL -> SpanKind.INTERNAL;
            case CLIENT -> SpanKind.CLIENT;
            case SERVER -> SpanKind.SERVER;
        };
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean flush(Duration timeout) {
        return provider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }

    @Override
    public void close() {
        provider.shutdown().join(EXPORT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
