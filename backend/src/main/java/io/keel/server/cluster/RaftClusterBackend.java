package io.keel.server.cluster;

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
import io.keel.api.internal.v1.MemberChange;
import io.keel.raft.ConfChangeType;
import io.keel.raft.RaftStatus;
import io.keel.raft.StateRole;
import io.keel.server.raftnode.NodeState;
import io.keel.server.apply.ApplyResult;
import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;
import io.keel.server.membership.ConfChangeCheck;
import io.keel.server.membership.MemberIds;
import io.keel.server.membership.MemberStore;
import io.keel.server.raftnode.RaftNode;
import io.keel.server.request.Proposer;
import io.keel.server.request.ResponseHeaders;
import io.keel.storage.mvcc.MvccStore;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * etcd's Cluster service: membership changes go through Raft conf changes after etcd's strict
 * reconfiguration checks (never lose quorum, at most one learner, promote only a caught-up
 * learner), made against this member's view; every member checks each change again when it
 * applies it ({@link ConfChangeCheck}). Thread-safe; never blocks the calling thread.
 */
public final class RaftClusterBackend implements ClusterBackend {
    /** etcd: a learner is ready when its log matches at least this share of the leader's. */
    static final double LEARNER_READY_PERCENT = 0.9;

    private final RaftNode node;
    private final MvccStore store;
    private final MemberStore members;
    private final Proposer proposer;
    private final ResponseHeaders headers;
    private final String clusterToken;
    private final Clock clock;
    private final LeaderForwarder forwarder;
    private volatile PromoteListener promotions = PromoteListener.NONE;

    public RaftClusterBackend(RaftNode node, MvccStore store, MemberStore members, Proposer proposer,
                              ResponseHeaders headers, String clusterToken, Clock clock) {
        this(node, store, members, proposer, headers, clusterToken, clock, LeaderForwarder.NONE);
    }

    /** @param forwarder sends a promote received by a follower to the leader */
    public RaftClusterBackend(RaftNode node, MvccStore store, MemberStore members, Proposer proposer,
                              ResponseHeaders headers, String clusterToken, Clock clock, LeaderForwarder forwarder) {
        this.forwarder = forwarder;
        this.node = node;
        this.store = store;
        this.members = members;
        this.proposer = proposer;
        this.headers = headers;
        this.clusterToken = clusterToken;
        this.clock = clock;
    }

    @Override
    public CompletionStage<MemberListResponse> memberList(MemberListRequest request) {
        CompletableFuture<?> barrier = request.getLinearizable()
                ? node.linearizableBarrier().orTimeout(proposer.timeoutMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(err -> { throw proposer.translate(err); })
                : CompletableFuture.completedFuture(null);
        return barrier.thenApply(x -> MemberListResponse.newBuilder()
                .setHeader(headers.withoutRevision()).addAllMembers(members.list()).build());
    }

    @Override
    public CompletionStage<MemberAddResponse> memberAdd(MemberAddRequest request) {
        return planAdd(request).thenCompose(member -> {
            ConfChangeType type = member.getIsLearner() ? ConfChangeType.ADD_LEARNER_NODE : ConfChangeType.ADD_NODE;
            return proposer.proposeConfChange(type, member.getID(), member).thenApply(r -> MemberAddResponse
                    .newBuilder().setHeader(headers.withoutRevision()).setMember(member).addAllMembers(list(r)).build());
        });
    }

    /** The checks of {@link #memberAdd}, shared by the real call and the console's dry run. */
    @Override
    public CompletionStage<Member> planAdd(MemberAddRequest request) {
        List<URI> urls;
        try {
            urls = parseUrls(request.getPeerURLsList());
        } catch (EtcdException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!request.getIsLearner() && !readyToAddVoter()) {
            return CompletableFuture.failedFuture(new EtcdException(EtcdError.MEMBER_NOT_ENOUGH_STARTED));
        }
        // As etcd: the id hashes the peer URLs, the cluster token and the time, so re-adding the
        // same URLs later gives a new id.
        long id = MemberIds.memberId(urls, clusterToken + (clock.millis() / 1000));
        Member member = Member.newBuilder().setID(id).addAllPeerURLs(request.getPeerURLsList())
                .setIsLearner(request.getIsLearner()).build();
        // Then the checks every member makes again at apply, in etcd's order (an id removed or
        // present, a peer URL taken, the learner limit), so the answer is etcd's whichever comes first.
        EtcdError refused = ConfChangeCheck.check(members,
                request.getIsLearner() ? ConfChangeType.ADD_LEARNER_NODE : ConfChangeType.ADD_NODE, id,
                MemberChange.newBuilder().setMember(member).build());
        if (refused != null) {
            return CompletableFuture.failedFuture(new EtcdException(refused));
        }
        return CompletableFuture.completedFuture(member);
    }

    @Override
    public CompletionStage<MemberRemoveResponse> memberRemove(MemberRemoveRequest request) {
        return planRemove(request.getID()).thenCompose(existing -> proposer
                .proposeConfChange(ConfChangeType.REMOVE_NODE, existing.getID(), existing)
                .thenApply(r -> MemberRemoveResponse.newBuilder().setHeader(headers.withoutRevision())
                        .addAllMembers(list(r)).build()));
    }

    /** The checks of {@link #memberRemove}: the member that would be removed. */
    @Override
    public CompletionStage<Member> planRemove(long memberId) {
        return known(memberId).thenApply(existing -> {
            if (!existing.getIsLearner() && !readyToRemoveVoter(existing.getID())) {
                throw new EtcdException(EtcdError.MEMBER_NOT_ENOUGH_STARTED);
            }
            return existing;
        });
    }

    /**
     * The member {@code id} as this member's view has it. A view that lacks it may only lag: the
     * change that added it can be committed but not yet applied here (a client that added it
     * through another member and asks this one at once). etcd checks at apply, in log order, so it
     * never answers "member not found" then; here the view is first brought up to everything
     * committed (a linearizable barrier) and asked again.
     */
    private CompletionStage<Member> known(long id) {
        Member existing = members.get(id);
        if (existing != null) {
            return CompletableFuture.completedFuture(existing);
        }
        return node.linearizableBarrier().orTimeout(proposer.timeoutMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(err -> { throw proposer.translate(err); })
                .thenApply(x -> {
                    Member now = members.get(id);
                    if (now == null) {
                        throw new EtcdException(EtcdError.MEMBER_NOT_FOUND);
                    }
                    return now;
                });
    }

    @Override
    public CompletionStage<MemberUpdateResponse> memberUpdate(MemberUpdateRequest request) {
        return known(request.getID()).thenCompose(existing -> {
            parseUrls(request.getPeerURLsList());
            Member updated = existing.toBuilder().clearPeerURLs().addAllPeerURLs(request.getPeerURLsList()).build();
            return proposer.proposeConfChange(ConfChangeType.UPDATE_NODE, existing.getID(), updated);
        }).thenApply(r -> MemberUpdateResponse.newBuilder().setHeader(headers.withoutRevision())
                .addAllMembers(list(r)).build());
    }

    @Override
    public CompletionStage<MemberPromoteResponse> memberPromote(MemberPromoteRequest request) {
        return known(request.getID()).thenCompose(this::promote);
    }

    private CompletionStage<MemberPromoteResponse> promote(Member existing) {
        NodeState state = node.state();
        if (state.role() != StateRole.LEADER && existing.getIsLearner()) {
            // Only the leader knows how far the learner's log has come: ask it, as etcd does.
            Member leader = state.leaderId() == 0 ? null : members.get(state.leaderId());
            if (leader == null) {
                return CompletableFuture.failedFuture(new EtcdException(EtcdError.NO_LEADER));
            }
            return forwarder.promote(leader, existing.getID()).thenApply(now -> MemberPromoteResponse.newBuilder()
                    .setHeader(headers.withoutRevision()).addAllMembers(now).build());
        }
        return planPromote(existing).thenCompose(promoted -> proposer
                .proposeConfChange(ConfChangeType.ADD_NODE, promoted.getID(), promoted, true))
                .thenApply(r -> MemberPromoteResponse.newBuilder().setHeader(headers.withoutRevision())
                        .addAllMembers(list(r)).build())
                .whenComplete((r, err) -> {
                    if (err == null) {
                        promotions.promoted();
                    } else {
                        Throwable cause = err instanceof java.util.concurrent.CompletionException
                                && err.getCause() != null ? err.getCause() : err;
                        promotions.failed(String.valueOf(cause.getMessage()));
                    }
                });
    }

    /** Reports the promotions this member decides (etcd's learner promote metrics). */
    public void setPromoteListener(PromoteListener listener) {
        this.promotions = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** The checks of {@link #memberPromote}: the member as it would be once promoted. */
    @Override
    public CompletionStage<Member> planPromote(long memberId) {
        return known(memberId).thenCompose(this::planPromote);
    }

    private CompletionStage<Member> planPromote(Member existing) {
        if (!existing.getIsLearner()) {
            return CompletableFuture.failedFuture(new EtcdException(EtcdError.MEMBER_NOT_LEARNER));
        }
        return node.status().thenApply(status -> {
            if (!learnerReady(status, existing.getID())) {
                throw new EtcdException(EtcdError.LEARNER_NOT_READY);
            }
            return existing.toBuilder().setIsLearner(false).build();
        });
    }

    /** etcd's isLearnerReady: the learner's log holds at least 90% of the leader's. Leader only. */
    private static boolean learnerReady(RaftStatus status, long learnerId) {
        RaftStatus.ProgressView leader = status.progress().get(status.id());
        RaftStatus.ProgressView learner = status.progress().get(learnerId);
        if (leader == null || learner == null) {
            return false;
        }
        return learner.match() >= leader.match() * LEARNER_READY_PERCENT;
    }

    /** etcd's IsReadyToAddVotingMember: the cluster keeps quorum if the new voter never starts. */
    private boolean readyToAddVoter() {
        int voters = 1;
        int started = 0;
        for (Member m : members.list()) {
            if (!m.getIsLearner()) {
                voters++;
                if (!m.getName().isEmpty()) {
                    started++;
                }
            }
        }
        if (started == 1 && voters == 2) {
            return true; // growing a single-member cluster is always allowed
        }
        return started >= voters / 2 + 1;
    }

    /** etcd's IsReadyToRemoveVotingMember: the started voters left still form a quorum. */
    private boolean readyToRemoveVoter(long id) {
        int voters = 0;
        int started = 0;
        for (Member m : members.list()) {
            if (!m.getIsLearner() && m.getID() != id) {
                voters++;
                if (!m.getName().isEmpty()) {
                    started++;
                }
            }
        }
        return started >= voters / 2 + 1;
    }

    private static List<URI> parseUrls(List<String> urls) {
        if (urls.isEmpty()) {
            throw new EtcdException(EtcdError.MEMBER_BAD_URLS);
        }
        List<URI> out = new ArrayList<>();
        for (String u : urls) {
            try {
                URI uri = new URI(u);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new EtcdException(EtcdError.MEMBER_BAD_URLS);
                }
                out.add(uri);
            } catch (URISyntaxException e) {
                throw new EtcdException(EtcdError.MEMBER_BAD_URLS);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Member> list(ApplyResult r) {
        return (List<Member>) r.value();
    }
}
