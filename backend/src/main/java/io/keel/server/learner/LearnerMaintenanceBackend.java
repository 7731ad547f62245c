package io.keel.server.learner;

import io.keel.api.etcdserverpb.Member;

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
import io.keel.api.etcdserverpb.StatusRequest;
import io.keel.api.etcdserverpb.StatusResponse;
import io.keel.server.maintenance.MaintenanceBackend;
import java.util.concurrent.CompletionStage;

/**
 * Maintenance through the {@link LearnerGate}: a learner serves Status and the Snapshot stream
 * only (as etcd 3.5's unary and stream interceptors). Thread-safe.
 */
final class LearnerMaintenanceBackend implements MaintenanceBackend {
    private final MaintenanceBackend inner;
    private final LearnerGate gate;

    LearnerMaintenanceBackend(MaintenanceBackend inner, LearnerGate gate) {
        this.inner = inner;
        this.gate = gate;
    }

    @Override
    public CompletionStage<AlarmResponse> alarm(AlarmRequest request) {
        return gate.unlessLearner(false, () -> inner.alarm(request));
    }

    @Override
    public CompletionStage<StatusResponse> status(StatusRequest request) {
        return inner.status(request);
    }

    @Override
    public CompletionStage<DefragmentResponse> defragment(DefragmentRequest request) {
        return gate.unlessLearner(false, () -> inner.defragment(request));
    }

    @Override
    public CompletionStage<HashResponse> hash(HashRequest request) {
        return gate.unlessLearner(false, () -> inner.hash(request));
    }

    @Override
    public CompletionStage<HashKVResponse> hashKV(HashKVRequest request) {
        return gate.unlessLearner(false, () -> inner.hashKV(request));
    }

    @Override
    public CompletionStage<MoveLeaderResponse> moveLeader(MoveLeaderRequest request) {
        return gate.unlessLearner(false, () -> inner.moveLeader(request));
    }

    @Override
    public CompletionStage<DowngradeResponse> downgrade(DowngradeRequest request) {
        return gate.unlessLearner(false, () -> inner.downgrade(request));
    }

    @Override
    public CompletionStage<SnapshotFile> snapshot() {
        return inner.snapshot();
    }

    // The console's dry run (same checks as the call) must reach the inner back end's.

    @Override
    public CompletionStage<Member> planMoveLeader(long targetId) {
        return gate.unlessLearner(false, () -> inner.planMoveLeader(targetId));
    }
}
