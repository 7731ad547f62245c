package io.keel.backend.metrics;

import io.keel.api.etcdserverpb.Member;
import io.keel.server.membership.MemberStore;
import io.keel.server.metrics.MemberGauges;
import io.keel.server.raftnode.NodeState;
import io.keel.server.raftnode.RaftNode;
import io.keel.server.wait.WaitRegistry;
import io.keel.storage.mvcc.MvccStore;

/**
 * {@link MemberGauges} over a running member's parts: the Raft node's published state, the apply
 * waiter, the wait registry and the MVCC store. Every read is a volatile read or a short LMDB read
 * transaction. Thread-safe.
 */
public record MemberGaugesOf(long memberId, RaftNode node, MvccStore store, WaitRegistry<?> pending,
                             MemberStore members, long quotaBackendBytes) implements MemberGauges {
    @Override
    public boolean hasLeader() {
        return node.state().leaderId() != 0;
    }

    @Override
    public boolean isLeader() {
        NodeState s = node.state();
        return s.isLeader();
    }

    @Override
    public boolean isLearner() {
        Member self = members.get(memberId);
        return self != null && self.getIsLearner();
    }

    @Override
    public long committedIndex() {
        return node.state().commit();
    }

    @Override
    public long appliedIndex() {
        return node.applied().applied();
    }

    @Override
    public long pendingProposals() {
        return pending.pendingCount();
    }

    @Override
    public long dbSizeBytes() {
        return store.dbSizeBytes();
    }

    @Override
    public long dbSizeInUseBytes() {
        return store.dbSizeInUseBytes();
    }

    @Override
    public long currentRevision() {
        return store.revision();
    }

    @Override
    public long compactRevision() {
        return store.compactRevision();
    }
}
