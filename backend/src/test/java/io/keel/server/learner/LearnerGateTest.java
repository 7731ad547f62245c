package io.keel.server.learner;

import io.keel.api.etcdserverpb.AlarmRequest;
import io.keel.api.etcdserverpb.CompactionRequest;
import io.keel.api.etcdserverpb.DefragmentRequest;
import io.keel.api.etcdserverpb.DeleteRangeRequest;
import io.keel.api.etcdserverpb.DowngradeRequest;
import io.keel.api.etcdserverpb.HashKVRequest;
import io.keel.api.etcdserverpb.HashRequest;
import io.keel.api.etcdserverpb.MemberAddRequest;
import io.keel.api.etcdserverpb.MemberListRequest;
import io.keel.api.etcdserverpb.MemberPromoteRequest;
import io.keel.api.etcdserverpb.MemberRemoveRequest;
import io.keel.api.etcdserverpb.MemberUpdateRequest;
import io.keel.api.etcdserverpb.MoveLeaderRequest;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.etcdserverpb.RangeRequest;
import io.keel.api.etcdserverpb.StatusRequest;
import io.keel.api.etcdserverpb.TxnRequest;
import io.keel.server.ServerBackends;
import io.keel.server.cluster.ClusterBackend;
import io.keel.server.errors.ErrorMapping;
import io.keel.server.errors.ErrorStatus;
import io.keel.server.errors.GrpcCode;
import io.keel.server.kv.KvBackend;
import io.keel.server.maintenance.MaintenanceBackend;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A learner serves exactly what etcd 3.5's isRPCSupportedForLearner and stream interceptor allow. */
class LearnerGateTest {
    private final List<String> reached = new ArrayList<>();
    private final AtomicBoolean learner = new AtomicBoolean(true);
    private final ServerBackends gated = new LearnerGate(learner::get).wrap(ServerBackends.unwired()
            .withKv(recording(KvBackend.class)).withCluster(recording(ClusterBackend.class))
            .withMaintenance(recording(MaintenanceBackend.class)));

    @Test
    void aLearnerServesStatusSerializableRangeAndSnapshotOnly() {
        Map<String, Supplier<CompletionStage<?>>> calls = everyCall();

        for (Map.Entry<String, Supplier<CompletionStage<?>>> call : calls.entrySet()) {
            Throwable failure = failureOf(call.getValue().get());
            boolean allowed = List.of("status", "serializable range", "snapshot").contains(call.getKey());
            if (allowed) {
                assertThat(failure).as(call.getKey()).isNull();
            } else {
                ErrorStatus status = ErrorMapping.toStatus(failure);
                assertThat(status.code()).as(call.getKey()).isEqualTo(GrpcCode.UNAVAILABLE);
                assertThat(status.message()).as(call.getKey()).isEqualTo("etcdserver: rpc not supported for learner");
            }
        }
        assertThat(reached).containsExactly("range", "status", "snapshot");
    }

    @Test
    void aVoterServesEverything() {
        learner.set(false);
        Map<String, Supplier<CompletionStage<?>>> calls = everyCall();

        for (Map.Entry<String, Supplier<CompletionStage<?>>> call : calls.entrySet()) {
            assertThat(failureOf(call.getValue().get())).as(call.getKey()).isNull();
        }
        assertThat(reached).hasSize(calls.size());
    }

    @Test
    void promotionLiftsTheRestrictionAtOnce() {
        assertThat(failureOf(gated.kv().get().put(PutRequest.getDefaultInstance()))).isNotNull();
        learner.set(false);
        assertThat(failureOf(gated.kv().get().put(PutRequest.getDefaultInstance()))).isNull();
    }

    private Map<String, Supplier<CompletionStage<?>>> everyCall() {
        KvBackend kv = gated.kv().orElseThrow();
        ClusterBackend cluster = gated.cluster().orElseThrow();
        MaintenanceBackend m = gated.maintenance().orElseThrow();
        Map<String, Supplier<CompletionStage<?>>> calls = new LinkedHashMap<>();
        calls.put("serializable range", () -> kv.range(RangeRequest.newBuilder().setSerializable(true).build()));
        calls.put("linearizable range", () -> kv.range(RangeRequest.getDefaultInstance()));
        calls.put("put", () -> kv.put(PutRequest.getDefaultInstance()));
        calls.put("delete", () -> kv.deleteRange(DeleteRangeRequest.getDefaultInstance()));
        calls.put("txn", () -> kv.txn(TxnRequest.getDefaultInstance()));
        calls.put("compact", () -> kv.compact(CompactionRequest.getDefaultInstance()));
        calls.put("member add", () -> cluster.memberAdd(MemberAddRequest.getDefaultInstance()));
        calls.put("member remove", () -> cluster.memberRemove(MemberRemoveRequest.getDefaultInstance()));
        calls.put("member update", () -> cluster.memberUpdate(MemberUpdateRequest.getDefaultInstance()));
        calls.put("member list", () -> cluster.memberList(MemberListRequest.getDefaultInstance()));
        calls.put("member promote", () -> cluster.memberPromote(MemberPromoteRequest.getDefaultInstance()));
        calls.put("status", () -> m.status(StatusRequest.getDefaultInstance()));
        calls.put("alarm", () -> m.alarm(AlarmRequest.getDefaultInstance()));
        calls.put("defragment", () -> m.defragment(DefragmentRequest.getDefaultInstance()));
        calls.put("hash", () -> m.hash(HashRequest.getDefaultInstance()));
        calls.put("hashkv", () -> m.hashKV(HashKVRequest.getDefaultInstance()));
        calls.put("move leader", () -> m.moveLeader(MoveLeaderRequest.getDefaultInstance()));
        calls.put("downgrade", () -> m.downgrade(DowngradeRequest.getDefaultInstance()));
        calls.put("snapshot", m::snapshot);
        return calls;
    }

    private static Throwable failureOf(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().join();
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause();
        }
    }

    /** A back end whose every method records its name and succeeds with null. */
    private <T> T recording(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? type.getSimpleName() : null;
            }
            reached.add(method.getName());
            return CompletableFuture.completedFuture(null);
        }));
    }
}
