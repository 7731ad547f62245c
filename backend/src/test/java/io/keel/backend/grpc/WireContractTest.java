package io.keel.backend.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.keel.api.etcdserverpb.AuthGrpcService;
import io.keel.api.etcdserverpb.ClusterGrpcService;
import io.keel.api.etcdserverpb.KVGrpcService;
import io.keel.api.etcdserverpb.LeaseGrpcService;
import io.keel.api.etcdserverpb.MaintenanceGrpcService;
import io.keel.api.etcdserverpb.RpcProto;
import io.keel.api.etcdserverpb.WatchGrpcService;
import io.keel.api.v3electionpb.ElectionGrpcService;
import io.keel.api.v3lockpb.LockGrpcService;
import io.keel.backend.RunningServer;
import io.keel.server.ServerBackends;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A real etcd client (jetcd 0.8.6) against Keel, and Keel's descriptors against etcd's names. */
class WireContractTest {
    @Test
    void jetcdReadsMaintenanceStatusFromKeel() throws Exception {
        ServerBackends backends = ServerBackends.unwired().withMaintenance(new StatusOnlyMaintenance());
        try (RunningServer s = RunningServer.start(backends);
             Client client = Client.builder().endpoints(s.endpoint).build()) {
            StatusResponse status = client.getMaintenanceClient().statusMember(s.endpoint).get(30, TimeUnit.SECONDS);
            assertThat(status.getVersion()).isEqualTo("3.5.0");
            assertThat(status.getDbSize()).isEqualTo(20480);
            assertThat(status.getLeader()).isEqualTo(StatusOnlyMaintenance.MEMBER_ID);
            assertThat(status.getRaftIndex()).isEqualTo(77);
            assertThat(status.getRaftTerm()).isEqualTo(3);
            assertThat(status.getHeader().getClusterId()).isEqualTo(StatusOnlyMaintenance.CLUSTER_ID);
            assertThat(status.getHeader().getMemberId()).isEqualTo(StatusOnlyMaintenance.MEMBER_ID);
            assertThat(status.getHeader().getRevision()).isEqualTo(42);
        }
    }

    @Test
    void jetcdSeesUnimplementedForAnUnwiredKv() throws Exception {
        try (RunningServer s = RunningServer.start(ServerBackends.unwired());
             Client client = Client.builder().endpoints(s.endpoint).build()) {
            var get = client.getKVClient().get(ByteSequence.from("foo", StandardCharsets.UTF_8));
            assertThatThrownBy(() -> get.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasStackTraceContaining("UNIMPLEMENTED");
        }
    }

    @Test
    void jetcdGetsEtcdsErrorTextFromABackendFailure() throws Exception {
        ServerBackends backends = ServerBackends.unwired().withMaintenance(new StatusOnlyMaintenance());
        try (RunningServer s = RunningServer.start(backends);
             Client client = Client.builder().endpoints(s.endpoint).build()) {
            var hash = client.getMaintenanceClient().hashKV(s.endpoint, 1);
            assertThatThrownBy(() -> hash.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasStackTraceContaining("OUT_OF_RANGE")
                    .hasStackTraceContaining("etcdserver: mvcc: required revision has been compacted");
        }
    }

    @Test
    void everyMethodNameEqualsEtcds() throws Exception {
        List<String> ours = Stream.of(KVGrpcService.SERVICE_DESCRIPTOR, WatchGrpcService.SERVICE_DESCRIPTOR,
                        LeaseGrpcService.SERVICE_DESCRIPTOR, ClusterGrpcService.SERVICE_DESCRIPTOR,
                        MaintenanceGrpcService.SERVICE_DESCRIPTOR, AuthGrpcService.SERVICE_DESCRIPTOR,
                        LockGrpcService.SERVICE_DESCRIPTOR, ElectionGrpcService.SERVICE_DESCRIPTOR)
                .flatMap(svc -> svc.getMethods().stream().map(m -> svc.getFullName() + "/" + m.getName()))
                .toList();
        assertThat(ours).containsExactlyInAnyOrderElementsOf(etcdMethods());
        assertThat(ours).contains("etcdserverpb.KV/Range", "v3lockpb.Lock/Lock", "etcdserverpb.Lease/LeaseLeases",
                "etcdserverpb.Maintenance/Downgrade", "etcdserverpb.Auth/AuthStatus").doesNotContain("etcdserverpb.Watch/Progress");
    }

    @Test
    void everyMessageFieldJetcdKnowsHasTheSameNumberNameAndType() {
        Map<String, Descriptors.Descriptor> ours = messagesByFullName(RpcProto.getDescriptor());
        int compared = 0;
        for (Descriptors.Descriptor their : messagesByFullName(io.etcd.jetcd.api.JetcdProto.getDescriptor()).values()) {
            Descriptors.Descriptor mine = ours.get(their.getFullName());
            assertThat(mine).as(their.getFullName()).isNotNull();
            for (Descriptors.FieldDescriptor f : their.getFields()) {
                Descriptors.FieldDescriptor g = mine.findFieldByNumber(f.getNumber());
                assertThat(g).as(their.getName() + "." + f.getName()).isNotNull();
                assertThat(g.getName()).as(their.getName() + "#" + f.getNumber()).isEqualTo(f.getName());
                assertThat(g.getType()).as(their.getName() + "." + f.getName()).isEqualTo(f.getType());
                assertThat(g.isRepeated()).as(their.getName() + "." + f.getName()).isEqualTo(f.isRepeated());
                compared++;
            }
        }
        assertThat(compared).as("fields compared").isGreaterThan(150);
        Descriptors.Descriptor compare = ours.get("etcdserverpb.Compare");
        assertThat(compare.findEnumTypeByName("CompareTarget").findValueByName("LEASE").getNumber()).isEqualTo(4);
        assertThat(compare.findFieldByName("lease").getNumber()).isEqualTo(8);
        assertThat(ours.get("authpb.UserAddOptions").findFieldByName("no_password").getNumber()).isEqualTo(1);
    }

    /** Every message (nested ones too) of a file and the files it imports, by full name. */
    private static Map<String, Descriptors.Descriptor> messagesByFullName(Descriptors.FileDescriptor file) {
        Map<String, Descriptors.Descriptor> all = new HashMap<>();
        Deque<Descriptors.Descriptor> todo = new ArrayDeque<>(file.getMessageTypes());
        file.getDependencies().forEach(d -> todo.addAll(d.getMessageTypes()));
        while (!todo.isEmpty()) {
            Descriptors.Descriptor d = todo.pop();
            all.put(d.getFullName(), d);
            todo.addAll(d.getNestedTypes());
        }
        return all;
    }

    private static List<String> etcdMethods() throws Exception {
        try (var in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                WireContractTest.class.getResourceAsStream("/etcd-3.5-methods.txt")), StandardCharsets.UTF_8))) {
            return in.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
    }
}
