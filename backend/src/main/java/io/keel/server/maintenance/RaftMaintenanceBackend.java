package io.keel.server.maintenance;

import io.keel.api.etcdserverpb.AlarmMember;
import io.keel.api.etcdserverpb.AlarmRequest;
import io.keel.api.etcdserverpb.AlarmResponse;
import io.keel.api.etcdserverpb.AlarmType;
import io.keel.api.etcdserverpb.DefragmentRequest;
import io.keel.api.etcdserverpb.DefragmentResponse;
import io.keel.api.etcdserverpb.DowngradeRequest;
import io.keel.api.etcdserverpb.DowngradeResponse;
import io.keel.api.etcdserverpb.HashKVRequest;
import io.keel.api.etcdserverpb.HashKVResponse;
import io.keel.api.etcdserverpb.HashRequest;
import io.keel.api.etcdserverpb.HashResponse;
import io.keel.api.etcdserverpb.Member;
import io.keel.api.etcdserverpb.MoveLeaderRequest;
import io.keel.api.etcdserverpb.MoveLeaderResponse;
import io.keel.api.etcdserverpb.StatusRequest;
import io.keel.api.etcdserverpb.StatusResponse;
import io.keel.api.internal.v1.InternalRequest;
import io.keel.server.EtcdVersion;
import io.keel.server.alarm.AlarmStore;
import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;
import io.keel.server.membership.MemberStore;
import io.keel.server.raftnode.NodeState;
import io.keel.server.raftnode.RaftNode;
import io.keel.server.request.Proposer;
import io.keel.server.request.ResponseHeaders;
import io.keel.storage.mvcc.HashKvResult;
import io.keel.storage.mvcc.MvccStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * etcd's Maintenance service over the Raft node and the MVCC store: status, alarms (changed
 * through Raft so every member agrees), hashes, defragment and leadership transfer. Store work
 * runs on the {@code blocking} executor, never on the caller's event loop.
 *
 * <p>Thread-safe; never blocks the calling thread.
 */
public final class RaftMaintenanceBackend implements MaintenanceBackend {
    private final RaftNode node;
    private final MvccStore store;
    private final MemberStore members;
    private final AlarmStore alarms;
    private final Proposer proposer;
    private final ResponseHeaders headers;
    private final Executor blocking;
    private final java.nio.file.Path scratchDir;
    static final String LEADER_TRANSFER_TIMEOUT = "etcdserver: request timed out, leader transfer took too long";

    public RaftMaintenanceBackend(RaftNode node, MvccStore store, MemberStore members, AlarmStore alarms,
                                  Proposer proposer, ResponseHeaders headers, Executor blocking,
                                  java.nio.file.Path scratchDir) {
        this.node = node;
        this.store = store;
        this.members = members;
        this.alarms = alarms;
        this.proposer = proposer;
        this.headers = headers;
        this.blocking = blocking;
        this.scratchDir = scratchDir;
    }

    @Override
    public CompletionStage<SnapshotFile> snapshot() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                java.nio.file.Files.createDirectories(scratchDir);
                java.nio.file.Path file = java.nio.file.Files.createTempFile(scratchDir, "snapshot-", ".part");
                try (var out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file))) {
                    store.snapshot(out);
                } catch (RuntimeException | java.io.IOException e) {
                    java.nio.file.Files.deleteIfExists(file);
                    throw e;
                }
                return new SnapshotFile(file, java.nio.file.Files.size(file));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, blocking);
    }

    @Override
    public CompletionStage<AlarmResponse> alarm(AlarmRequest request) {
        if (request.getAction() == AlarmRequest.AlarmAction.GET) {
            List<AlarmMember> matching = new ArrayList<>();
            for (AlarmMember a : alarms.active()) {
                if (request.getAlarm() == AlarmType.NONE || a.getAlarm() == request.getAlarm()) {
                    matching.add(a);
                }
            }
            return CompletableFuture.completedFuture(AlarmResponse.newBuilder()
                    .setHeader(headers.at(store.revision())).addAllAlarms(matching).build());
        }
        return proposer.propose(InternalRequest.newBuilder().setAlarm(request)).thenApply(r -> {
            @SuppressWarnings("unchecked")
            List<AlarmMember> changed = (List<AlarmMember>) r.value();
            return AlarmResponse.newBuilder().setHeader(headers.at(r.revision())).addAllAlarms(changed).build();
        });
    }

    @Override
    public CompletionStage<StatusResponse> status(StatusRequest request) {
        return CompletableFuture.supplyAsync(() -> {
            NodeState s = node.state();
            StatusResponse.Builder b = StatusResponse.newBuilder()
                    .setHeader(headers.at(store.revision()))
                    .setVersion(EtcdVersion.SERVER)
                    .setDbSize(store.dbSizeBytes())
                    .setDbSizeInUse(store.dbSizeInUseBytes())
                    .setLeader(s.leaderId())
                    .setRaftIndex(s.commit())
                    .setRaftTerm(s.term())
                    .setRaftAppliedIndex(node.applied().applied());
            Member self = members.get(headers.memberId());
            b.setIsLearner(self != null && self.getIsLearner());
            if (s.leaderId() == 0) {
                b.addErrors(EtcdError.NO_LEADER.message());
            }
            for (AlarmMember a : alarms.active()) {
                // etcd lists each alarm in the text form of its protobuf message.
                b.addErrors("memberID:" + Long.toUnsignedString(a.getMemberID()) + " alarm:" + a.getAlarm() + " ");
            }
            return b.build();
        }, blocking);
    }

    @Override
    public CompletionStage<DefragmentResponse> defragment(DefragmentRequest request) {
        return CompletableFuture.supplyAsync(() -> {
            store.defragment();
            return DefragmentResponse.newBuilder().setHeader(headers.at(store.revision())).build();
        }, blocking);
    }

    @Override
    public CompletionStage<HashResponse> hash(HashRequest request) {
        // etcd hashes its whole bbolt file; Keel's file format differs, so the hash of all keys and
        // values at the current revision stands in for it (equal across members with equal state).
        return CompletableFuture.supplyAsync(() -> {
            HashKvResult h = store.hashKv(0);
            return HashResponse.newBuilder().setHeader(headers.at(h.currentRevision())).setHash((int) h.hash()).build();
        }, blocking);
    }

    @Override
    public CompletionStage<HashKVResponse> hashKV(HashKVRequest request) {
        return CompletableFuture.supplyAsync(() -> {
            HashKvResult h = store.hashKv(request.getRevision());
            return HashKVResponse.newBuilder().setHeader(headers.at(h.currentRevision()))
                    .setHash((int) h.hash()).setCompactRevision(h.compactRevision()).build();
        }, blocking);
    }

    @Override
    public CompletionStage<MoveLeaderResponse> moveLeader(MoveLeaderRequest request) {
        CompletionStage<Member> plan = planMoveLeader(request.getTargetID());
        if (plan.toCompletableFuture().isCompletedExceptionally()) {
            return plan.thenApply(m -> MoveLeaderResponse.getDefaultInstance());
        }
        CompletableFuture<NodeState> moved = node.awaitLeader(request.getTargetID());
        node.transferLeader(request.getTargetID());
        return moved.orTimeout(proposer.timeoutMillis(), TimeUnit.MILLISECONDS)
                .handle((st, err) -> {
                    if (err != null) {
                        // etcd has no gRPC status for this one: it goes out as UNKNOWN with this text.
                        throw new IllegalStateException(LEADER_TRANSFER_TIMEOUT);
                    }
                    return MoveLeaderResponse.newBuilder().setHeader(headers.at(store.revision())).build();
                });
    }

    /** The checks of {@link #moveLeader}: the member that would become leader. */
    @Override
    public CompletionStage<Member> planMoveLeader(long targetId) {
        NodeState s = node.state();
        if (!s.isLeader()) {
            return CompletableFuture.failedFuture(new EtcdException(EtcdError.NOT_LEADER));
        }
        Member target = members.get(targetId);
        if (target == null || target.getIsLearner()) {
            return CompletableFuture.failedFuture(new EtcdException(EtcdError.BAD_LEADER_TRANSFEREE));
        }
        return CompletableFuture.completedFuture(target);
    }

    @Override
    public CompletionStage<DowngradeResponse> downgrade(DowngradeRequest request) {
        return CompletableFuture.failedFuture(new EtcdException(EtcdError.NOT_CAPABLE));
    }
}
