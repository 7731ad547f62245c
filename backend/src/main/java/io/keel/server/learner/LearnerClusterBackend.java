package io.keel.server.learner;

import io.keel.api.etcdserverpb.Member;
import io.keel.api.etcdserverpb.MemberAddRequest;
import io.keel.api.etcdserverpb.MemberAddResponse;
import io.keel.api.etcdserverpb.MemberListRequest;
import io.keel.api.etcdserverpb.MemberListResponse;
import io.keel.api.etcdserverpb.MemberPromoteRequest;
import io.keel.api.etcdserverpb.MemberPromoteResponse;
import io.keel.api.etcdserverpb.MemberRemoveRequest;
import io.keel.api.etcdserverpb.MemberRemoveResponse;
import io.keel.api.etcdserverpb.MemberUpdateRequest;
import io.keel.api.etcdserverpb.MemberUpdateResponse;
import io.keel.server.cluster.ClusterBackend;
import java.util.concurrent.CompletionStage;

/** Cluster through the {@link LearnerGate}: a learner serves none of it (as etcd 3.5). Thread-safe. */
final class LearnerClusterBackend implements ClusterBackend {
    private final ClusterBackend inner;
    private final LearnerGate gate;

    LearnerClusterBackend(ClusterBackend inner, LearnerGate gate) {
        this.inner = inner;
        this.gate = gate;
    }

    @Override
    public CompletionStage<MemberAddResponse> memberAdd(MemberAddRequest request) {
        return gate.unlessLearner(false, () -> inner.memberAdd(request));
    }

    @Override
    public CompletionStage<MemberRemoveResponse> memberRemove(MemberRemoveRequest request) {
        return gate.unlessLearner(false, () -> inner.memberRemove(request));
    }

    @Override
    public CompletionStage<MemberUpdateResponse> memberUpdate(MemberUpdateRequest request) {
        return gate.unlessLearner(false, () -> inner.memberUpdate(request));
    }

    @Override
    public CompletionStage<MemberListResponse> memberList(MemberListRequest request) {
        return gate.unlessLearner(false, () -> inner.memberList(request));
    }

    @Override
    public CompletionStage<MemberPromoteResponse> memberPromote(MemberPromoteRequest request) {
        return gate.unlessLearner(false, () -> inner.memberPromote(request));
    }

    // The console's dry runs (same checks as the calls) must reach the inner back end's.

    @Override
    public CompletionStage<Member> planAdd(MemberAddRequest request) {
        return gate.unlessLearner(false, () -> inner.planAdd(request));
    }

    @Override
    public CompletionStage<Member> planRemove(long memberId) {
        return gate.unlessLearner(false, () -> inner.planRemove(memberId));
    }

    @Override
    public CompletionStage<Member> planPromote(long memberId) {
        return gate.unlessLearner(false, () -> inner.planPromote(memberId));
    }
}
