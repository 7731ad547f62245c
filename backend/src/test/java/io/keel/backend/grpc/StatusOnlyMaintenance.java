package io.keel.backend.grpc;

import io.keel.api.etcdserverpb.AlarmRequest;
import io.keel.api.etcdserverpb.AlarmResponse;
import io.keel.api.etcdserverpb.DefragmentRequest;
import io.keel.api.etcdserverpb.DefragmentResponse;
import io.keel.api.etcdserverpb.DowngradeRequest;
import io.keel.api.etcdserverpb.DowngradeResponse;
import io.keel.api.etcdserverpb.HashKVRequest;
import io.keel.api.etcdserverpb.HashKVResponse;
import io.keel.api.etcdserverpb.HashRequest;
import io.keel.api.etcdserverpb.HashResponse;
import io.keel.api.etcdserverpb.MoveLeaderRequest;
import io.keel.api.etcdserverpb.MoveLeaderResponse;
import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.api.etcdserverpb.StatusRequest;
import io.keel.api.etcdserverpb.StatusResponse;
import io.keel.server.errors.EtcdError;
import io.keel.server.maintenance.MaintenanceBackend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Test double: answers Status from fixed state; every other method fails with an etcd error. */
final class StatusOnlyMaintenance implements MaintenanceBackend {
    static final long CLUSTER_ID = 0xcdf818194e3a8c32L;
    static final long MEMBER_ID = 0x8e9e05c52164694dL;

    @Override
    public CompletionStage<StatusResponse> status(StatusRequest request) {
        return CompletableFuture.completedFuture(StatusResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setClusterId(CLUSTER_ID).setMemberId(MEMBER_ID)
                        .setRevision(42).setRaftTerm(3))
                .setVersion("3.5.0").setDbSize(20480).setDbSizeInUse(16384).setLeader(MEMBER_ID)
                .setRaftIndex(77).setRaftTerm(3).setRaftAppliedIndex(77).build());
    }

    @Override
    public CompletionStage<AlarmResponse> alarm(AlarmRequest request) {
        return CompletableFuture.failedFuture(EtcdError.NO_LEADER.exception());
    }

    @Override
    public CompletionStage<DefragmentResponse> defragment(DefragmentRequest request) {
        return CompletableFuture.failedFuture(EtcdError.NO_LEADER.exception());
    }

    @Override
    public CompletionStage<HashResponse> hash(HashRequest request) {
        return CompletableFuture.failedFuture(EtcdError.NO_LEADER.exception());
    }

    @Override
    public CompletionStage<HashKVResponse> hashKV(HashKVRequest request) {
        return CompletableFuture.failedFuture(EtcdError.COMPACTED.exception());
    }

    @Override
    public CompletionStage<MoveLeaderResponse> moveLeader(MoveLeaderRequest request) {
        return CompletableFuture.failedFuture(EtcdError.BAD_LEADER_TRANSFEREE.exception());
    }

    @Override
    public CompletionStage<DowngradeResponse> downgrade(DowngradeRequest request) {
        return CompletableFuture.failedFuture(EtcdError.NO_INFLIGHT_DOWNGRADE.exception());
    }

    @Override
    public CompletionStage<SnapshotFile> snapshot() {
        return CompletableFuture.failedFuture(EtcdError.NOT_CAPABLE.exception());
    }
}
