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
import io.keel.api.etcdserverpb.Member;
import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The unary operations of the etcd Maintenance API: what the Raft node and MVCC store will
 * implement together (status, alarms, hashes, defragment, leadership transfer, downgrade), and
 * the snapshot the gRPC layer streams. Same threading
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

    /**
     * The checks {@link #moveLeader} applies, without transferring: completes with the member
     * that would lead, or fails as the real call would. Lets the console offer a dry run.
     */
    default CompletionStage<Member> planMoveLeader(long targetId) {
        return CompletableFuture.failedFuture(new EtcdException(EtcdError.NOT_CAPABLE));
    }

    /**
     * Writes the whole store as etcd's snapshot stream (the database bytes followed by their
     * SHA-256, which `etcdctl snapshot save` checks) to a temporary file that the caller streams
     * to the client and then deletes.
     */
    CompletionStage<SnapshotFile> snapshot();

    /** A snapshot written to {@code path}, {@code sizeBytes} long. Immutable; thread-safe. */
    record SnapshotFile(java.nio.file.Path path, long sizeBytes) {
    }
}
