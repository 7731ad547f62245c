package io.keel.backend.e2e;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.jaegertracing.internal.JaegerSpanContext;
import io.jaegertracing.internal.JaegerTracer;
import io.jaegertracing.internal.reporters.InMemoryReporter;
import io.jaegertracing.internal.samplers.ConstSampler;
import io.keel.backend.e2e.OtlpTraceReceiver.ReceivedSpan;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMapAdapter;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real 3-member Keel cluster exporting spans over OTLP to a receiver of our own. Sampling is
 * left at etcd's default (0 per million): only callers' sampled traces are recorded, so each test
 * finds its trace by the trace id its caller chose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributedTracingTest {
    private static final Duration EXPORT_WAIT = Duration.ofSeconds(90);
    private static final int LEADER_ATTEMPTS = 60;

    private final List<KeelProcess> members = new ArrayList<>();
    private OtlpTraceReceiver receiver;
    private final SplittableRandom random = new SplittableRandom(20261121L);

    @BeforeAll
    void startCluster(@TempDir Path dir) throws Exception {
        Etcdctl.requireInstalled();
        receiver = new OtlpTraceReceiver();
        for (String name : List.of("m1", "m2", "m3")) {
            members.add(new KeelProcess(name, dir.resolve(name), FreePorts.next(), FreePorts.next()));
        }
        String initial = Members.initialCluster(members);
        for (KeelProcess m : members) {
            m.start(initial, "new", "--enable-distributed-tracing", "--distributed-tracing-address",
                    receiver.address(), "--distributed-tracing-service-name", "keel",
                    "--distributed-tracing-instance-id", m.name);
        }
        Members.awaitWritable(Members.endpoints(members));
    }

    @AfterAll
    void stopAll() throws Exception {
        for (KeelProcess m : members) {
            m.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    /** Member id (hex) of each member by name, and the leader's name, as every member agrees. */
    private record Roles(Map<String, String> idByName, String leader) {
    }

    private Roles roles() throws Exception {
        for (int attempt = 0; attempt < LEADER_ATTEMPTS; attempt++) {
            Map<String, String> ids = new HashMap<>();
            String leaderId = null;
            boolean agreed = true;
            for (KeelProcess m : members) {
                try (Client c = Client.builder().endpoints(m.clientUrl()).build()) {
                    var status = c.getMaintenanceClient().statusMember(m.clientUrl()).get(30, TimeUnit.SECONDS);
                    ids.put(m.name, Long.toHexString(status.getHeader().getMemberId()));
                    String says = Long.toHexString(status.getLeader());
                    agreed &= status.getLeader() != 0 && (leaderId == null || leaderId.equals(says));
                    leaderId = says;
                }
            }
            if (agreed) {
                String leader = leaderId;
                String name = ids.entrySet().stream().filter(e -> e.getValue().equals(leader))
                        .map(Map.Entry::getKey).findFirst().orElseThrow();
                return new Roles(ids, name);
            }
        }
        throw new AssertionError("the members never agreed on a leader");
    }

    private String hex(int bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < bytes; i++) {
            out.append(String.format("%02x", random.nextInt(256)));
        }
        return out.toString();
    }

    @Test
    void aPutToAFollowerIsOneTraceFromTheCallerThroughTheLeaderAndBothFollowers() throws Exception {
        Roles roles = roles();
        KeelProcess follower = members.stream().filter(m -> !m.name.equals(roles.leader())).findFirst().orElseThrow();
        String otherFollower = members.stream().map(m -> m.name)
                .filter(n -> !n.equals(roles.leader()) && !n.equals(follower.name)).findFirst().orElseThrow();
        String traceId = hex(16);
        String callerSpanId = hex(8);
        try (Client c = Client.builder().endpoints(follower.clientUrl())
                .header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01").build()) {
            c.getKVClient().put(bytes("traced-put"), bytes("v")).get(30, TimeUnit.SECONDS);
        }

        Predicate<List<ReceivedSpan>> complete = all -> {
            List<ReceivedSpan> t = all.stream().filter(s -> s.traceId().equals(traceId)).toList();
            return count(t, "raft.follower_append") >= 1 && count(t, "raft.log_append") >= 2
                    && count(t, "raft.replicate") >= 1 && count(t, "etcdserverpb.KV/Put") == 1
                    && count(t, "grpc.reply") == 1 && count(t, "mvcc.write") >= 2 && count(t, "raft.commit") >= 2
                    && count(t, "raft.leader_append") == 1
                    // Each follower exports on its own schedule: wait for the far side of every hop.
                    && t.stream().filter(s -> s.name().equals("raft.replicate")).allMatch(r -> t.stream().anyMatch(
                            s -> s.name().equals("raft.follower_append") && s.parentSpanId().equals(r.spanId())));
        };
        List<ReceivedSpan> trace = receiver.await(complete, EXPORT_WAIT).stream()
                .filter(s -> s.traceId().equals(traceId)).toList();

        // On the follower the client called: the server span joins the caller's trace.
        ReceivedSpan put = only(trace, "etcdserverpb.KV/Put", follower.name);
        assertThat(put.parentSpanId()).isEqualTo(callerSpanId);
        assertThat(put.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        assertThat(put.service()).isEqualTo("keel");
        assertThat(put.attributes()).containsEntry("rpc.system", "grpc").containsEntry("rpc.grpc.status_code", "0");
        ReceivedSpan propose = childOf(trace, put, "raft.propose", follower.name);
        assertThat(propose.events()).contains("send raft proposal");

        // The peer hop to the leader: it continues the proposer's trace, appends, replicates, commits.
        ReceivedSpan onLeader = childOf(trace, propose, "raft.leader_append", roles.leader());
        assertThat(onLeader.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
        childOf(trace, onLeader, "raft.log_append", roles.leader());
        childOf(trace, onLeader, "raft.commit", roles.leader());
        ReceivedSpan leaderApply = childOf(trace, onLeader, "apply", roles.leader());
        childOf(trace, leaderApply, "mvcc.write", roles.leader());

        // Replication to the follower the client called (it is part of the quorum that commits the
        // entry: its own apply needs it), continued there until its log append is durable.
        assertReplicatedTo(trace, onLeader, follower.name, roles);
        // The other follower is traced too when the leader sent it the entry while the request was
        // in flight; a follower that lags (a slow machine) gets it later, outside the trace.
        Optional<ReceivedSpan> toOther = replicateTo(trace, onLeader, otherFollower, roles);
        if (toOther.isPresent()) {
            // Its spans are exported on that member's own schedule, possibly after the trace above
            // was complete: wait for them instead of racing the export.
            String replicateId = toOther.get().spanId();
            List<ReceivedSpan> withOther = receiver.await(all -> all.stream()
                    .filter(s -> s.name().equals("raft.follower_append") && s.parentSpanId().equals(replicateId))
                    .anyMatch(append -> all.stream().anyMatch(s -> s.name().equals("raft.log_append")
                            && s.parentSpanId().equals(append.spanId()))), EXPORT_WAIT).stream()
                    .filter(s -> s.traceId().equals(traceId)).toList();
            assertReplicatedTo(withOther, onLeader, otherFollower, roles);
        }

        // Back on the follower the client called: commit seen, applied, answered.
        childOf(trace, put, "raft.commit", follower.name);
        ReceivedSpan apply = childOf(trace, put, "apply", follower.name);
        childOf(trace, apply, "mvcc.write", follower.name);
        childOf(trace, put, "grpc.reply", follower.name);
    }

    @Test
    void aJaegerClientsTraceIsJoinedThroughUberTraceId() throws Exception {
        JaegerTracer jaeger = new JaegerTracer.Builder("jaeger-caller")
                .withReporter(new InMemoryReporter()).withSampler(new ConstSampler(true)).withTraceId128Bit().build();
        try (jaeger) {
            io.opentracing.Span call = jaeger.buildSpan("read through keel").start();
            Map<String, String> headers = new HashMap<>();
            jaeger.inject(call.context(), Format.Builtin.HTTP_HEADERS, new TextMapAdapter(headers));
            assertThat(headers).containsKey("uber-trace-id");
            KeelProcess member = members.get(2);
            try (Client c = Client.builder().endpoints(member.clientUrl())
                    .header("uber-trace-id", headers.get("uber-trace-id")).build()) {
                c.getKVClient().get(bytes("traced-get")).get(30, TimeUnit.SECONDS);
            }
            call.finish();
            JaegerSpanContext caller = (JaegerSpanContext) call.context();
            String traceId = String.format("%016x%016x", caller.getTraceIdHigh(), caller.getTraceIdLow());

            List<ReceivedSpan> trace = receiver.await(all -> all.stream().filter(s -> s.traceId().equals(traceId))
                    .map(ReceivedSpan::name).toList().containsAll(
                            List.of("etcdserverpb.KV/Range", "raft.read_index", "mvcc.read", "grpc.reply")),
                    EXPORT_WAIT).stream().filter(s -> s.traceId().equals(traceId)).toList();
            ReceivedSpan range = only(trace, "etcdserverpb.KV/Range", member.name);
            assertThat(range.parentSpanId()).isEqualTo(String.format("%016x", caller.getSpanId()));
            childOf(trace, range, "raft.read_index", member.name);
            childOf(trace, range, "mvcc.read", member.name);
            childOf(trace, range, "grpc.reply", member.name);
        }
    }

    private static Optional<ReceivedSpan> replicateTo(List<ReceivedSpan> trace, ReceivedSpan onLeader, String name,
                                                      Roles roles) {
        return trace.stream()
                .filter(s -> s.name().equals("raft.replicate") && s.parentSpanId().equals(onLeader.spanId())
                        && roles.idByName().get(name).equals(s.attributes().get("keel.raft.peer_id")))
                .findFirst();
    }

    private static void assertReplicatedTo(List<ReceivedSpan> trace, ReceivedSpan onLeader, String name, Roles roles) {
        ReceivedSpan replicate = replicateTo(trace, onLeader, name, roles)
                .orElseThrow(() -> new AssertionError("no raft.replicate to " + name + ": " + trace));
        assertThat(replicate.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
        ReceivedSpan append = childOf(trace, replicate, "raft.follower_append", name);
        childOf(trace, append, "raft.log_append", name);
    }

    private static long count(List<ReceivedSpan> spans, String name) {
        return spans.stream().filter(s -> s.name().equals(name)).count();
    }

    private static ReceivedSpan only(List<ReceivedSpan> trace, String name, String instance) {
        List<ReceivedSpan> found = trace.stream().filter(s -> s.name().equals(name)).toList();
        assertThat(found).as(name + " in " + trace).hasSize(1);
        assertThat(found.get(0).instance()).as(name + " exported by").isEqualTo(instance);
        return found.get(0);
    }

    private static ReceivedSpan childOf(List<ReceivedSpan> trace, ReceivedSpan parent, String name, String instance) {
        Optional<ReceivedSpan> child = trace.stream()
                .filter(s -> s.name().equals(name) && s.parentSpanId().equals(parent.spanId())
                        && instance.equals(s.instance()))
                .findFirst();
        assertThat(child).as(name + " on " + instance + " under " + parent.name() + " in " + trace).isPresent();
        return child.get();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
