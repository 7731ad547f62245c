package io.keel.backend.grpc;

import io.keel.api.etcdserverpb.ClusterService;
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
import io.keel.backend.handoff.BoundedHandoff;
import io.keel.server.cluster.ClusterBackend;
import io.vertx.core.Future;
import java.util.Objects;

/**
 * The etcd Cluster service on the event loop, handing each call to the {@link ClusterBackend}.
 * Owned by {@link EtcdGrpcServer}; thread-safe.
 */
public final class ClusterRpcs extends ClusterService {
    private final ClusterBackend backend;
    private final BoundedHandoff handoff;

    public ClusterRpcs(ClusterBackend backend, BoundedHandoff handoff) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.handoff = Objects.requireNonNull(handoff, "handoff");
    }

    @Override
    public Future<MemberAddResponse> memberAdd(MemberAddRequest request) {
        return HandedOffCall.run(handoff, () -> backend.memberAdd(request));
    }

    @Override
    public Future<MemberRemoveResponse> memberRemove(MemberRemoveRequest request) {
        return HandedOffCall.run(handoff, () -> backend.memberRemove(request));
    }

    @Override
    public Future<MemberUpdateResponse> memberUpdate(MemberUpdateRequest request) {
        return HandedOffCall.run(handoff, () -> backend.memberUpdate(request));
    }

    @Override
    public Future<MemberListResponse> memberList(MemberListRequest request) {
        return HandedOffCall.run(handoff, () -> backend.memberList(request));
    }

    @Override
    public Future<MemberPromoteResponse> memberPromote(MemberPromoteRequest request) {
        return HandedOffCall.run(handoff, () -> backend.memberPromote(request));
    }
}
