package io.keel.server.lease;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.LeaseCheckpoint;
import io.keel.api.etcdserverpb.LeaseCheckpointRequest;
import io.keel.api.etcdserverpb.LeaseGrantRequest;
import io.keel.api.etcdserverpb.LeaseGrantResponse;
import io.keel.api.etcdserverpb.LeaseKeepAliveResponse;
import io.keel.api.etcdserverpb.LeaseLeasesResponse;
import io.keel.api.etcdserverpb.LeaseRevokeRequest;
import io.keel.api.etcdserverpb.LeaseRevokeResponse;
import io.keel.api.etcdserverpb.LeaseStatus;
import io.keel.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.keel.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.keel.api.etcdserverpb.Member;
import io.keel.api.internal.v1.InternalRequest;
import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;
import io.keel.server.membership.MemberStore;
import io.keel.server.raftnode.NodeState;
import io.keel.server.raftnode.RaftNode;
import io.keel.server.request.Proposer;
import io.keel.server.request.ResponseHeaders;
import io.keel.server.wait.RequestIdGenerator;
import io.keel.storage.mvcc.MvccStore;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Leases over Raft, as etcd's server: grant and revoke are proposed and answered once applied;
 * keep-alive and time-to-live are answered by the leader's lessor after it has applied everything
 * committed, and forwarded to the leader from other members.
 *
 * <p>Thread-safe; never blocks the calling thread.
 */
public final class RaftLeaseBackend implements LeaseBackend {
    private final RaftNode node;
    private final Lessor lessor;
    private final LeaseKeeper keeper;
    private final Proposer proposer;
    private final ResponseHeaders headers;
    private final MemberStore members;
    private final LeaseForwarder forwarder;
    private final RequestIdGenerator ids;
    private final MvccStore store;

    public RaftLeaseBackend(RaftNode node, MvccStore store, Lessor lessor, LeaseKeeper keeper, Proposer proposer,
                            ResponseHeaders headers, MemberStore members, LeaseForwarder forwarder,
                            RequestIdGenerator ids) {
        this.store = store;
        this.node = node;
        this.lessor = lessor;
        this.keeper = keeper;
        this.proposer = proposer;
        this.headers = headers;
        this.members = members;
        this.forwarder = forwarder;
        this.ids = ids;
    }

    @Override
    public CompletionStage<LeaseGrantResponse> grant(LeaseGrantRequest request) {
        if (request.getTTL() > Lessor.MAX_TTL_SECONDS) {
            return CompletableFuture.failedFuture(new EtcdException(EtcdError.LEASE_TTL_TOO_LARGE));
        }
        // As etcd: a server-chosen id is a request id with the sign bit cleared.
        long id = request.getID() != 0 ? request.getID() : ids.next() & Long.MAX_VALUE;
        LeaseGrantRequest withId = request.toBuilder().setID(id).build();
        return proposer.propose(InternalRequest.newBuilder().setLeaseGrant(withId))
                .thenApply(r -> LeaseGrantResponse.newBuilder().setHeader(headers.at(r.revision()))
                        .setID(id).setTTL((Long) r.value()).build());
    }

    @Override
    public CompletionStage<LeaseRevokeResponse> revoke(LeaseRevokeRequest request) {
        return proposer.propose(InternalRequest.newBuilder().setLeaseRevoke(request))
                .thenApply(r -> LeaseRevokeResponse.newBuilder().setHeader(headers.at(r.revision())).build());
    }

    @Override
    public CompletionStage<LeaseKeepAliveResponse> keepAlive(long leaseId) {
        return onLeader(
                () -> {
                    Lessor.Renewal renewal = lessor.renew(leaseId);
                    if (renewal.clearCheckpoint()) {
                        clearCheckpoint(leaseId);
                    }
                    return keepAliveResponse(leaseId, Math.max(0, renewal.ttlSeconds()));
                },
                url -> forwarder.keepAlive(url, leaseId)
                        .thenApply(r -> keepAliveResponse(leaseId, r.getTTL())));
    }

    @Override
    public CompletionStage<LeaseTimeToLiveResponse> timeToLive(LeaseTimeToLiveRequest request) {
        return onLeader(
                () -> {
                    LeaseInfo info = lessor.timeToLive(request.getID(), request.getKeys());
                    var b = LeaseTimeToLiveResponse.newBuilder().setHeader(header()).setID(request.getID());
                    if (info == null) {
                        return b.setTTL(-1).build();
                    }
                    b.setTTL(info.ttlSeconds()).setGrantedTTL(info.grantedTtlSeconds());
                    info.keys().forEach(k -> b.addKeys(ByteString.copyFrom(k)));
                    return b.build();
                },
                url -> forwarder.timeToLive(url, request)
                        .thenApply(r -> r.toBuilder().setHeader(header()).build()));
    }

    @Override
    public CompletionStage<LeaseLeasesResponse> leases() {
        var b = LeaseLeasesResponse.newBuilder().setHeader(header());
        lessor.ids().forEach(id -> b.addLeases(LeaseStatus.newBuilder().setID(id)));
        return CompletableFuture.completedFuture(b.build());
    }

    /** etcd fills lease headers with the store's current revision. */
    private io.keel.api.etcdserverpb.ResponseHeader header() {
        return headers.at(store.revision());
    }

    private LeaseKeepAliveResponse keepAliveResponse(long id, long ttl) {
        return LeaseKeepAliveResponse.newBuilder().setHeader(header()).setID(id).setTTL(ttl).build();
    }

    /** Persists that a renewed lease runs from its full TTL again (etcd 3.5's Renew does this). */
    private void clearCheckpoint(long leaseId) {
        proposer.propose(InternalRequest.newBuilder().setLeaseCheckpoint(LeaseCheckpointRequest.newBuilder()
                .addCheckpoints(LeaseCheckpoint.newBuilder().setID(leaseId).setRemainingTTL(0))));
    }

    /**
     * Runs {@code local} on the leader once it has applied everything committed (so its lessor
     * knows every lease granted so far), or forwards to the leader.
     */
    private <T> CompletionStage<T> onLeader(java.util.function.Supplier<T> local,
                                            java.util.function.Function<URI, CompletionStage<T>> forward) {
        NodeState state = node.state();
        if (state.leaderId() == 0) {
            return CompletableFuture.failedFuture(new EtcdException(EtcdError.NO_LEADER));
        }
        if (state.isLeader()) {
            return node.applied().waitFor(state.commit()).thenApply(applied -> {
                keeper.promoteIfLeader();
                try {
                    return local.get();
                } catch (NotPrimaryException e) {
                    throw new EtcdException(EtcdError.LEADER_CHANGED);
                }
            });
        }
        Member leader = members.get(state.leaderId());
        if (leader == null || leader.getClientURLsCount() == 0) {
            return CompletableFuture.failedFuture(new EtcdException(EtcdError.NO_LEADER));
        }
        return forward.apply(URI.create(leader.getClientURLs(0)));
    }
}
