package io.keel.server.membership;

import io.keel.api.etcdserverpb.Member;
import io.keel.api.internal.v1.MemberChange;
import io.keel.raft.ConfChangeType;
import io.keel.server.errors.EtcdError;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * etcd's ValidateConfigurationChange: whether a committed membership change still holds against
 * the member list as of its place in the log. A member validates a request when it proposes it,
 * against its own view; that view can lag (a follower's), and two requests can pass against the
 * same view (a promotion and the removal of the same learner), so every member checks again when
 * it applies the entry, in log order, and a change that fails changes neither the member list nor
 * Raft's configuration. Deterministic: every member decides the same for the same entry.
 * Stateless; thread-safe.
 */
public final class ConfChangeCheck {
    /** etcd allows one learner at a time. */
    public static final int MAX_LEARNERS = 1;

    private ConfChangeCheck() {
    }

    /**
     * The error etcd returns for this change (its gRPC form), or null when it may be applied.
     *
     * @param change the context proposed with it; null for a bootstrap entry (the initial members)
     */
    public static EtcdError check(MemberStore view, ConfChangeType type, long id, MemberChange change) {
        if (view.isRemoved(id)) {
            return EtcdError.MEMBER_NOT_FOUND; // etcd's ErrIDRemoved
        }
        Member existing = view.get(id);
        List<Member> all = view.list();
        return switch (type) {
            case ADD_NODE, ADD_LEARNER_NODE -> change != null && change.getIsPromote()
                    ? promotion(existing)
                    : addition(existing, all, type, change);
            case REMOVE_NODE -> existing == null ? EtcdError.MEMBER_NOT_FOUND : null;
            case UPDATE_NODE -> {
                if (existing == null) {
                    yield EtcdError.MEMBER_NOT_FOUND;
                }
                yield change != null && peerUrlTaken(all, id, change.getMember().getPeerURLsList())
                        ? EtcdError.PEER_URL_EXIST : null;
            }
        };
    }

    private static EtcdError promotion(Member existing) {
        if (existing == null) {
            return EtcdError.MEMBER_NOT_FOUND;
        }
        return existing.getIsLearner() ? null : EtcdError.MEMBER_NOT_LEARNER;
    }

    private static EtcdError addition(Member existing, List<Member> all, ConfChangeType type, MemberChange change) {
        if (existing != null) {
            return EtcdError.MEMBER_EXIST;
        }
        if (change == null) {
            return null; // bootstrap: --initial-cluster was checked when the member started
        }
        if (peerUrlTaken(all, 0, change.getMember().getPeerURLsList())) {
            return EtcdError.PEER_URL_EXIST;
        }
        if (type == ConfChangeType.ADD_LEARNER_NODE && change.getMember().getIsLearner() && learnersFull(all)) {
            return EtcdError.TOO_MANY_LEARNERS;
        }
        return null;
    }

    /** Whether a member other than {@code except} (0: any) already has one of {@code urls}. */
    private static boolean peerUrlTaken(List<Member> all, long except, List<String> urls) {
        Set<String> taken = new HashSet<>();
        for (Member m : all) {
            if (m.getID() != except) {
                taken.addAll(m.getPeerURLsList());
            }
        }
        for (String u : urls) {
            if (taken.contains(u)) {
                return true;
            }
        }
        return false;
    }

    /** Whether another learner would exceed {@link #MAX_LEARNERS}. */
    private static boolean learnersFull(List<Member> all) {
        return all.stream().filter(Member::getIsLearner).count() >= MAX_LEARNERS;
    }
}
