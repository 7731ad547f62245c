package io.keel.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.tracing.otel.OtlpReceiver.ReceivedSpan;
import io.keel.tracing.span.RequestTracer;
import io.keel.tracing.span.SpanHandle;
import io.keel.tracing.span.SpanStep;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End to end: the real OTLP/gRPC exporter sending to a receiver of our own. */
class OtlpExportTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    private OtlpReceiver receiver;
    private ExecutorService peerThread;

    @BeforeEach
    void start() throws Exception {
        receiver = new OtlpReceiver();
        peerThread = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stop() throws Exception {
        peerThread.shutdownNow();
        assertThat(peerThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        receiver.close();
    }

    private TracingConfig member(String id, int ratePerMillion) {
        return TracingConfig.enabledDefaults().withAddress(receiver.address()).withInstanceId(id)
                .withSamplingRatePerMillion(ratePerMillion);
    }

    @Test
    void exportsTheSpanTreeOfAWriteIncludingThePeerHop() throws Exception {
        try (RequestTracer leader = RequestTracers.fromConfig(member("member-1", 0));
             RequestTracer follower = RequestTracers.fromConfig(member("member-2", 0))) {
            // The caller sampled its trace; with rate 0 we still follow it (parent-based, as etcd).
            SpanHandle put = leader.startServerSpan("etcdserverpb.KV/Put",
                    Map.of("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01"));
            SpanHandle propose = put.startChild(SpanStep.PROPOSE).addEvent("send raft proposal");
            propose.startChild(SpanStep.LOG_APPEND).end();
            SpanHandle replicate = propose.startReplicate(0x2L);
            byte[] carried = replicate.toBytes(); // travels inside the Raft message

            peerThread.submit(() -> {
                SpanHandle onPeer = follower.continueFromPeer(SpanStep.FOLLOWER_APPEND, carried);
                onPeer.startChild(SpanStep.LOG_APPEND).end();
                onPeer.end();
            }).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            replicate.end();
            put.startChild(SpanStep.COMMIT).end();
            propose.addEvent("receive raft result").end();
            SpanHandle apply = put.startChild(SpanStep.APPLY);
            apply.startChild(SpanStep.MVCC_WRITE).end();
            apply.end();
            put.startChild(SpanStep.REPLY).end();
            put.grpcStatus(0, "").end();
            assertThat(put.traceId()).isEqualTo(CALLER_TRACE);

            assertThat(leader.flush(WAIT)).isTrue();
            assertThat(follower.flush(WAIT)).isTrue();
        }

        List<ReceivedSpan> spans = receiver.awaitSpans(10, WAIT);
        assertThat(spans).hasSize(10).allSatisfy(s -> {
            assertThat(s.traceId()).isEqualTo(CALLER_TRACE);
            assertThat(s.service()).isEqualTo("etcd");
        });
        Map<String, ReceivedSpan> byId = spans.stream().collect(Collectors.toMap(ReceivedSpan::spanId,
                Function.identity()));
        List<String> paths = spans.stream().map(s -> s.instance() + " " + pathOf(s, byId)).sorted().toList();
        assertThat(paths).containsExactly(
                "member-1 etcdserverpb.KV/Put",
                "member-1 etcdserverpb.KV/Put > apply",
                "member-1 etcdserverpb.KV/Put > apply > mvcc.write",
                "member-1 etcdserverpb.KV/Put > grpc.reply",
                "member-1 etcdserverpb.KV/Put > raft.commit",
                "member-1 etcdserverpb.KV/Put > raft.propose",
                "member-1 etcdserverpb.KV/Put > raft.propose > raft.log_append",
                "member-1 etcdserverpb.KV/Put > raft.propose > raft.replicate",
                "member-2 etcdserverpb.KV/Put > raft.propose > raft.replicate > raft.follower_append",
                "member-2 etcdserverpb.KV/Put > raft.propose > raft.replicate > raft.follower_append"
                        + " > raft.log_append");

        ReceivedSpan put = only(spans, "etcdserverpb.KV/Put");
        assertThat(put.parentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(put.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        assertThat(put.attributes()).containsEntry("rpc.system", "grpc")
                .containsEntry("rpc.service", "etcdserverpb.KV").containsEntry("rpc.method", "Put")
                .containsEntry("rpc.grpc.status_code", "0");
        ReceivedSpan replicate = only(spans, "raft.replicate");
        assertThat(replicate.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
        assertThat(replicate.attributes()).containsEntry("keel.raft.peer_id", "2");
        assertThat(only(spans, "raft.follower_append").kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        assertThat(only(spans, "raft.propose").events()).containsExactly("send raft proposal", "receive raft result");
    }

    @Test
    void marksServerErrorsFailedAndSamplesNewTracesAtFullRate() throws Exception {
        try (RequestTracer tracer = RequestTracers.fromConfig(member("member-1", 1_000_000))) {
            SpanHandle range = tracer.startServerSpan("etcdserverpb.KV/Range", Map.of());
            range.grpcStatus(14, "etcdserver: leader changed").end();
            tracer.startServerSpan("etcdserverpb.KV/Range", Map.of()).grpcStatus(5, "not found").end();
            assertThat(tracer.flush(WAIT)).isTrue();
        }
        List<ReceivedSpan> spans = receiver.awaitSpans(2, WAIT);
        assertThat(spans).allSatisfy(s -> assertThat(s.parentSpanId()).isEmpty());
        assertThat(spans).extracting(ReceivedSpan::statusCode).containsExactlyInAnyOrder(2, 0); // ERROR, UNSET
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, String name) {
        List<ReceivedSpan> named = spans.stream().filter(s -> s.name().equals(name)).toList();
        assertThat(named).hasSize(1);
        return named.get(0);
    }

    private static String pathOf(ReceivedSpan span, Map<String, ReceivedSpan> byId) {
        ReceivedSpan parent = byId.get(span.parentSpanId());
        return parent == null ? span.name() : pathOf(parent, byId) + " > " + span.name();
    }
}
