package io.keel.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

class PeerContextCodecTest {

    private static Context contextOf(SpanContext span) {
        return Context.root().with(Span.wrap(span));
    }

    @Test
    void roundTripsIdsFlagsAndTracestateIn26BytesPlusState() {
        TraceState state = TraceState.builder().put("congo", "t61rcWkgMzE").put("rojo", "00f067aa0ba902b7").build();
        SpanContext sent = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), state);

        byte[] bytes = PeerContextCodec.encode(contextOf(sent));
        assertThat(bytes.length).isEqualTo(PeerContextCodec.HEADER_BYTES + "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7".length());

        SpanContext received = Span.fromContext(PeerContextCodec.decode(bytes)).getSpanContext();
        assertThat(received.isRemote()).isTrue();
        assertThat(received.getTraceId()).isEqualTo(sent.getTraceId());
        assertThat(received.getSpanId()).isEqualTo(sent.getSpanId());
        assertThat(received.isSampled()).isTrue();
        assertThat(received.getTraceState().asMap()).isEqualTo(state.asMap());
    }

    @Test
    void keepsTheNotSampledFlagAndEncodesNoStateCompactly() {
        SpanContext sent = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getDefault(), TraceState.getDefault());
        byte[] bytes = PeerContextCodec.encode(contextOf(sent));
        assertThat(bytes).hasSize(PeerContextCodec.HEADER_BYTES);
        SpanContext received = Span.fromContext(PeerContextCodec.decode(bytes)).getSpanContext();
        assertThat(received.isValid()).isTrue();
        assertThat(received.isSampled()).isFalse();
    }

    @Test
    void emptyTruncatedOrUnknownVersionBytesCarryNoContext() {
        assertThat(PeerContextCodec.encode(Context.root())).isEmpty();
        assertThat(Span.fromContext(PeerContextCodec.decode(new byte[0])).getSpanContext().isValid()).isFalse();
        assertThat(Span.fromContext(PeerContextCodec.decode(null)).getSpanContext().isValid()).isFalse();
        byte[] truncated = new byte[PeerContextCodec.HEADER_BYTES - 1];
        assertThat(Span.fromContext(PeerContextCodec.decode(truncated)).getSpanContext().isValid()).isFalse();
        byte[] allZero = new byte[PeerContextCodec.HEADER_BYTES]; // all-zero ids are invalid in W3C
        assertThat(Span.fromContext(PeerContextCodec.decode(allZero)).getSpanContext().isValid()).isFalse();
        byte[] future = new byte[PeerContextCodec.HEADER_BYTES];
        future[0] = 7;
        future[1] = 1;
        future[20] = 1;
        assertThat(Span.fromContext(PeerContextCodec.decode(future)).getSpanContext().isValid()).isFalse();
    }
}
