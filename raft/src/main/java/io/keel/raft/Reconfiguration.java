package io.keel.raft;

import io.keel.raft.confchange.Changer;
import io.keel.raft.tracker.Progress;

/**
 * Configuration changes as Raft sees them: applying a committed {@link ConfChange}, and replacing
 * the configuration with a snapshot's. Stateless; called only by the owning Raft's thread.
 */
final class Reconfiguration {
    private Reconfiguration() {
    }

    /**
     * Applies a committed conf change to the tracker. A leader then commits what the new quorum
     * allows and probes new members; a leader that removed or demoted itself steps down.
     */
    static ConfState apply(Raft r, ConfChange change) {
        Changer.apply(r.tracker, change, r.log.lastIndex());
        r.refreshLearnerFlag();
        ConfState cs = r.tracker.confState();
        if (r.state == StateRole.CANDIDATE || r.state == StateRole.PRE_CANDIDATE) {
            if (!cs.voters().contains(r.id)) {
                // No longer a voter: the campaign is void (a win would make a non-member lead).
                r.becomeFollower(r.term, 0);
            }
            return cs;
        }
        if (r.state != StateRole.LEADER) {
            return cs;
        }
        Progress self = r.tracker.progress(r.id);
        if (self == null || self.isLearner()) {
            stepDownAfterRemoval(r);
            return cs;
        }
        if (r.maybeCommit()) {
            ReadIndexes.releasePending(r);
            Replicator.bcastCommit(r);
        } else {
            // Probe new members at once rather than waiting for the next heartbeat or proposal.
            r.tracker.visit((pid, pr) -> {
                if (pid != r.id) {
                    Replicator.maybeSendAppend(r, pid, false);
                }
            });
        }
        if (r.leadTransferee != 0 && !r.tracker.voters().contains(r.leadTransferee)) {
            r.abortLeaderTransfer();
        }
        return cs;
    }

    /**
     * A leader removed (or demoted) by its own conf change steps down and asks the most up-to-date
     * remaining voter to campaign at once, so the cluster does not wait out an election timeout.
     */
    private static void stepDownAfterRemoval(Raft r) {
        long best = 0;
        long bestMatch = -1;
        for (long voter : r.tracker.voters()) {
            Progress pr = r.tracker.progress(voter);
            if (pr.match() > bestMatch) {
                best = voter;
                bestMatch = pr.match();
            }
        }
        r.becomeFollower(r.term, 0);
        if (best != 0 && bestMatch == r.log.lastIndex()) {
            r.send(Message.builder(MessageType.TIMEOUT_NOW).to(best).build());
        }
    }

    /**
     * Follower: replaces log and configuration with {@code snap}. False when it is stale, we are
     * not a follower, it lacks us, or we already hold what it covers (then only the commit moves).
     */
    static boolean restore(Raft r, Snapshot snap) {
        SnapshotMetadata meta = snap.metadata();
        if (meta.index() <= r.log.committed()) {
            return false;
        }
        if (r.state != StateRole.FOLLOWER) {
            // Defence in depth (as etcd): only followers install snapshots.
            r.becomeFollower(r.term + 1, 0);
            return false;
        }
        if (!meta.confState().contains(r.id)) {
            // A snapshot whose configuration lacks us would leave us unable to take part.
            return false;
        }
        if (r.log.matchTerm(meta.index(), meta.term())) {
            // We already have the entries it covers: fast-forward the commit instead.
            r.log.commitTo(meta.index());
            return false;
        }
        r.log.restore(snap);
        Changer.restore(r.tracker, meta.confState(), r.log.lastIndex());
        r.refreshLearnerFlag();
        assert r.log.committed() == meta.index();
        return true;
    }
}
