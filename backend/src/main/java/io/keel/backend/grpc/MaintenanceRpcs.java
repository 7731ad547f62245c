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
import io.keel.api.etcdserverpb.MaintenanceService;
import io.keel.api.etcdserverpb.MoveLeaderRequest;
import io.keel.api.etcdserverpb.MoveLeaderResponse;
import io.keel.api.etcdserverpb.StatusRequest;
import io.keel.api.etcdserverpb.StatusResponse;
import io.keel.backend.handoff.BoundedHandoff;
import io.keel.server.maintenance.MaintenanceBackend;
import io.vertx.core.Future;
import java.util.Objects;

/**
 * The unary etcd Maintenance methods on the event loop, handing each call to the
 * {@link MaintenanceBackend}. Snapshot is not bound (UNIMPLEMENTED). Owned by {@link EtcdGrpcServer};
 * thread-safe.
 */
public final class MaintenanceRpcs extends MaintenanceService {
    private final MaintenanceBackend backend;
    private final BoundedHandoff handoff;

    public MaintenanceRpcs(MaintenanceBackend backend, BoundedHandoff handoff) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.handoff = Objects.requireNonNull(handoff, "handoff");
    }

    @Override
    public Future<AlarmResponse> alarm(AlarmRequest request) {
        return HandedOffCall.run(handoff, () -> backend.alarm(request));
    }

    @Override
    public Future<StatusResponse> status(StatusRequest request) {
        return HandedOffCall.run(handoff, () -> backend.status(request));
    }

    @Override
    public Future<DefragmentResponse> defragment(DefragmentRequest request) {
        return HandedOffCall.run(handoff, () -> backend.defragment(request));
    }

    @Override
    public Future<HashResponse> hash(HashRequest request) {
        return HandedOffCall.run(handoff, () -> backend.hash(request));
    }

    @Override
    public Future<HashKVResponse> hashKV(HashKVRequest request) {
        return HandedOffCall.run(handoff, () -> backend.hashKV(request));
    }

    @Override
    public Future<MoveLeaderResponse> moveLeader(MoveLeaderRequest request) {
        return HandedOffCall.run(handoff, () -> backend.moveLeader(request));
    }

    @Override
    public Future<DowngradeResponse> downgrade(DowngradeRequest request) {
        return HandedOffCall.run(handoff, () -> backend.downgrade(request));
    }
}
