package io.keel.server.maintenance;

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
import java.util.concurrent.CompletionStage;

/**
 * The unary operations of the etcd Maintenance API: what the Raft node and MVCC store will
 * implement together (status, alarms, hashes, defragment, leadership transfer, downgrade). The
 * Snapshot stream is not part of this interface yet and answers UNIMPLEMENTED. Same threading
 * contract as {@link io.keel.server.kv.KvBackend}. Implementations must be thread-safe.
 */
public interface MaintenanceBackend {
    CompletionStage<AlarmResponse> alarm(AlarmRequest request);

    CompletionStage<StatusResponse> status(StatusRequest request);

    CompletionStage<DefragmentResponse> defragment(DefragmentRequest request);

    CompletionStage<HashResponse> hash(HashRequest request);

    CompletionStage<HashKVResponse> hashKV(HashKVRequest request);

    CompletionStage<MoveLeaderResponse> moveLeader(MoveLeaderRequest request);

    CompletionStage<DowngradeResponse> downgrade(DowngradeRequest request);
}
