package io.keel.server.apply;

import com.google.protobuf.InvalidProtocolBufferException;
import io.keel.api.etcdserverpb.Member;
import io.keel.api.internal.v1.MemberChange;
import io.keel.raft.ConfChange;
import io.keel.raft.Entry;
import io.keel.server.membership.InitialMembers;
import io.keel.server.membership.MemberStore;
import io.keel.server.wait.WaitRegistry;
import io.keel.storage.mvcc.MvccStore;
import io.keel.storage.mvcc.MvccWriteTxn;

import java.util.List;
import java.util.function.Consumer;

/**
 * Applies committed configuration changes to the member list (Raft's own configuration has
 * already changed on the Raft thread). Confined to the apply thread.
 */
final class ConfChangeApplier {
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
