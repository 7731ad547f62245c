package io.keel.server.apply;

import com.google.protobuf.InvalidProtocolBufferException;
import io.keel.api.etcdserverpb.Member;
import io.keel.api.internal.v1.MemberChange;
import io.keel.raft.ConfChange;
import io.keel.raft.Entry;
import io.keel.server.errors.EtcdError;
import io.keel.server.membership.ConfChangeCheck;
import io.keel.server.membership.InitialMembers;
import io.keel.server.membership.MemberIds;
import io.keel.server.membership.MemberStore;
import io.keel.server.wait.WaitRegistry;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/**
 * Applies committed configuration changes to the member list, after checking each again against
 * the list as of its place in the log ({@link ConfChangeCheck}, as etcd does when it applies one).
 * A refused change changes nothing but the applied index, is recorded as refused, and its proposer
 * gets etcd's error; the Raft thread, waiting for the verdict, then leaves Raft's configuration as
 * it was. Confined to the apply thread.
 */
final class ConfChangeApplier {
    private static final Logger LOG = LoggerFactory.getLogger(ConfChangeApplier.class);
    private final MvccStore store;
    private final MemberStore members;
    private final WaitRegistry<ApplyResult> wait;
    private final InitialMembers initial;
    private final Consumer<List<Member>> onMembersChanged;

    ConfChangeApplier(MvccStore store, MemberStore members, WaitRegistry<ApplyResult> wait, InitialMembers initial,
                      Consumer<List<Member>> onMembersChanged) {
        this.store = store;
        this.members = members;
        this.wait = wait;
        this.initial = initial;
        this.onMembersChanged = onMembersChanged;
    }

    void apply(Entry e) {
        ConfChange cc = ConfChange.decode(e.data());
        MemberChange change = decodeContext(cc, e.index());
        long id = cc.nodeId();
        EtcdError refused = ConfChangeCheck.check(members, cc.type(), id, change);
        if (refused != null) {
            LOG.warn("Validation on configuration change failed: {} {} at raft index {}: {}", cc.type(),
                    MemberIds.toHex(id), e.index(), refused.message());
            refuse(e, change, refused);
            return;
        }
        try (MvccWriteTxn w = store.beginWrite()) {
            Member existing = members.get(id);
            switch (cc.type()) {
                case ADD_NODE -> members.put(existing != null
                        ? existing.toBuilder().setIsLearner(false).build()
                        : described(change, id).toBuilder().setIsLearner(false).build(), w);
                case ADD_LEARNER_NODE -> members.put(described(change, id).toBuilder().setIsLearner(true).build(), w);
                case REMOVE_NODE -> members.remove(id, w);
                case UPDATE_NODE -> {
                    if (existing != null && change != null) {
                        members.put(existing.toBuilder().clearPeerURLs()
                                .addAllPeerURLs(change.getMember().getPeerURLsList()).build(), w);
                    }
                }
            }
            w.setConsistentIndex(e.index(), e.term());
            long rev = w.commit();
            List<Member> now = members.list();
            onMembersChanged.accept(now);
            if (change != null) {
                wait.trigger(change.getRequestId(), ApplyResult.ok(now, rev));
            }
        }
    }

    private void refuse(Entry e, MemberChange change, EtcdError error) {
        long rev;
        try (MvccWriteTxn w = store.beginWrite()) {
            members.refuse(e.index(), w);
            w.setConsistentIndex(e.index(), e.term());
            rev = w.commit();
        }
        if (change != null) {
            wait.trigger(change.getRequestId(), ApplyResult.failed(error, rev));
        }
    }

    private Member described(MemberChange change, long id) {
        return change != null && change.hasMember() ? change.getMember() : initial.memberOrBare(id);
    }

    private static MemberChange decodeContext(ConfChange cc, long index) {
        if (cc.context().length == 0) {
            return null; // a bootstrap entry: the member comes from --initial-cluster
        }
        try {
            return MemberChange.parseFrom(cc.context());
        } catch (InvalidProtocolBufferException ex) {
            throw new IllegalStateException("undecodable conf change context at raft index " + index, ex);
        }
    }
}
