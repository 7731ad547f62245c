package io.keel.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.api.internal.v1.InternalRequest;
import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import io.keel.tracing.otel.RequestTracers;
import io.keel.tracing.otel.TracingConfig;
import io.keel.tracing.span.NoopRequestTracer;
import io.keel.tracing.span.NoopSpanHandle;
import io.keel.tracing.span.RequestTracer;
import io.keel.tracing.span.SpanHandle;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The per-request span registry, driven as the proposer, Raft thread, transport and applier drive it. */
class EntryTracesTest {
    private static Entry entry(long index, long requestId) {
        return new Entry(1, index, EntryType.NORMAL, InternalRequest.newBuilder().setId(requestId).build().toByteArray());
    }

    @Test
    void requestIdsAreReadFromTheFrontOfAnEntry() {
        assertThat(RequestIds.of(entry(1, 0x7fff_ffff_ffffL).data())).isEqualTo(0x7fff_ffff_ffffL);
        assertThat(RequestIds.of(entry(1, -2L).data())).isEqualTo(-2L);
        assertThat(RequestIds.of(new byte[0])).isZero();
        assertThat(RequestIds.of(new byte[] {0x12, 0x01})).isZero();
    }

    @Test
    void withTracingOffNothingIsRegisteredAndEveryHookIsANoOp() {
        EntryTraces traces = new EntryTraces(NoopRequestTracer.INSTANCE);
        SpanHandle propose = traces.proposing(5, NoopSpanHandle.INSTANCE);
        assertThat(propose).isSameAs(NoopSpanHandle.INSTANCE);
        assertThat(traces.active()).isFalse();
        traces.persisting(List.of(entry(1, 5)));
        traces.persisted(List.of(entry(1, 5)));
        traces.committed(List.of(entry(1, 5)));
        assertThat(traces.startApply(5)).isSameAs(NoopSpanHandle.INSTANCE);
        assertThat(traces.forProposal(5)).isNull();
        assertThat(traces.forAppend(2, 5, 1)).isNull();
        traces.proposalArrived(9, new byte[26]);
        assertThat(traces.active()).isFalse();
    }

    @Test
    void aTracedRequestGetsItsStepsAsChildSpansAndIsForgottenWhenFinished() {
        Collecting exported = new Collecting();
        RequestTracer tracer = RequestTracers.withExporter(TracingConfig.enabledDefaults()
                .withSamplingRatePerMillion(TracingConfig.MAX_SAMPLING_RATE_PER_MILLION), exported);
        EntryTraces leader = new EntryTraces(tracer);
        EntryTraces follower = new EntryTraces(tracer);
        SpanHandle rpc = tracer.startServerSpan("etcdserverpb.KV/Put", Map.of());

        leader.proposing(7, rpc).end();
        List<Entry> entries = List.of(entry(3, 7));
        leader.persisting(entries);
        leader.persisted(entries);
        byte[] toFollower = leader.forAppend(0xb, 7, 3);
        follower.appendArrived(7, 3, toFollower);
        follower.persisting(entries);
        follower.persisted(entries);
        assertThat(follower.active()).as("the follower forgets the append once durable").isFalse();
        leader.acknowledged(0xb, 3);
        leader.committed(entries);
        leader.startApply(7).end();
        leader.applied(7);
        leader.finished(7);
        rpc.end();
        assertThat(leader.active()).isFalse();
        tracer.flush(Duration.ofSeconds(10));
        tracer.close();

        Map<String, SpanData> byName = exported.spans.stream()
                .collect(Collectors.toMap(SpanData::getName, s -> s, (a, b) -> a));
        String root = byName.get("etcdserverpb.KV/Put").getSpanId();
        assertThat(byName.get("raft.propose").getParentSpanId()).isEqualTo(root);
        assertThat(byName.get("raft.commit").getParentSpanId()).isEqualTo(root);
        assertThat(byName.get("apply").getParentSpanId()).isEqualTo(root);
        SpanData replicate = byName.get("raft.replicate");
        assertThat(replicate.getParentSpanId()).isEqualTo(root);
        assertThat(replicate.hasEnded()).isTrue();
        SpanData append = byName.get("raft.follower_append");
        assertThat(append.getParentSpanId()).isEqualTo(replicate.getSpanId());
        assertThat(exported.spans.stream().filter(s -> s.getName().equals("raft.log_append"))
                .map(SpanData::getParentSpanId)).containsExactlyInAnyOrder(root, append.getSpanId());
        assertThat(exported.spans).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(rpc.traceId()));
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
