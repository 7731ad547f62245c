package io.keel.tracing.otel;

import io.keel.tracing.span.MetadataGetter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The binary form of a span context inside a Raft message: W3C trace context in 26 bytes plus the
 * {@code tracestate} text. Layout: version {@code 0x00}, trace id (16 bytes), span id (8 bytes),
 * trace flags (1 byte), then the UTF-8 {@code tracestate} header (possibly empty). An empty
 * array means "no context". Decoding goes through the W3C propagator, so malformed input yields an
 * invalid (ignored) context rather than an exception.
 *
 * <p>Owner: {@link OtelSpanHandle} and {@link OtelRequestTracer}. Thread-safety: stateless.
 */
final class PeerContextCodec {
    static final byte VERSION = 0;
    static final int HEADER_BYTES = 1 + 16 + 8 + 1;
    private static final byte[] NOTHING = new byte[0];

    private PeerContextCodec() {
    }

    static byte[] encode(Context context) {
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (!span.isValid()) {
            return NOTHING;
        }
        Map<String, String> headers = new HashMap<>(4);
        W3CTraceContextPropagator.getInstance().inject(context, headers, Propagation.MAP_SETTER);
        byte[] state = headers.getOrDefault("tracestate", "").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[HEADER_BYTES + state.length];
        out[0] = VERSION;
        System.arraycopy(span.getTraceIdBytes(), 0, out, 1, 16);
        System.arraycopy(span.getSpanIdBytes(), 0, out, 17, 8);
        out[25] = span.getTraceFlags().asByte();
        System.arraycopy(state, 0, out, HEADER_BYTES, state.length);
        return out;
    }

    /** The remote parent carried by {@code bytes}, or {@code Context.root()} when none is valid. */
    static Context decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES || bytes[0] != VERSION) {
            return Context.root();
        }
        byte[] traceId = new byte[16];
        byte[] spanId = new byte[8];
        System.arraycopy(bytes, 1, traceId, 0, 16);
        System.arraycopy(bytes, 17, spanId, 0, 8);
        String flags = String.format("%02x", bytes[25] & 0xff);
        Map<String, String> headers = new HashMap<>(4);
        headers.put("traceparent", "00-" + TraceId.fromBytes(traceId) + "-" + SpanId.fromBytes(spanId) + "-" + flags);
        if (bytes.length > HEADER_BYTES) {
            headers.put("tracestate", new String(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES,
                    StandardCharsets.UTF_8));
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), headers,
                Propagation.getter(MetadataGetter.forMap()));
    }
}
