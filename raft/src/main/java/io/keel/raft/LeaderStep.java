package io.keel.raft;

import io.keel.raft.confchange.Changer;
import io.keel.raft.quorum.MajorityConfig;
import io.keel.raft.quorum.VoteResult;
import io.keel.raft.readonly.ReadIndexStatus;
import io.keel.raft.tracker.Progress;
import io.keel.raft.tracker.ProgressState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Message handling of a leader: proposals, heartbeats, check-quorum, ReadIndex, replication
 * responses, snapshot reports and leadership transfer. Stateless singleton; called only by the
 * owning Raft's thread.
 */
final class LeaderStep implements RoleStep {
    static final LeaderStep INSTANCE = new LeaderStep();

    private LeaderStep() {
    }

    @Override
    public void step(Raft r, Message m) {
        switch (m.type()) {
            case BEAT -> Replicator.bcastHeartbeat(r);
            case CHECK_QUORUM -> checkQuorum(r);
            case PROP -> propose(r, m);
            case READ_INDEX -> ReadIndexes.onRequest(r, m);
            default -> stepFromMember(r, m);
        }
    }

    private static void checkQuorum(Raft r) {
        Progress self = r.tracker.progress(r.id);
        if (self != null) {
            self.setRecentActive(true); // the leader always hears from itself
        }
        if (!r.tracker.quorumActive()) {
            r.becomeFollower(r.term, 0);
        }
        // Start the next round: everyone else must prove liveness again.
        r.tracker.visit((id, pr) -> {
            if (id != r.id) {
                pr.setRecentActive(false);
            }
        });
    }

    private static void propose(Raft r, Message m) {
        if (m.entries().isEmpty()) {
            throw new IllegalArgumentException("proposal without entries");
        }
        if (r.tracker.progress(r.id) == null) {
            throw new ProposalDroppedException("this member is not in the configuration");
        }
        if (r.leadTransferee != 0) {
            throw new ProposalDroppedException("leadership transfer to " + r.leadTransferee + " in progress");
        }
        assert r.state == StateRole.LEADER && r.lead == r.id;
        List<Entry> entries = new ArrayList<>(m.entries());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.type() != EntryType.CONF_CHANGE) {
                continue;
            }
            String refused = refuseConfChange(r, e);
            if (refused != null) {
                // As etcd: the proposal becomes an empty normal entry, so it still occupies its
                // slot but changes nothing; the proposer sees it never applied.
                entries.set(i, Entry.normal(0, 0, null));
            } else {
                r.pendingConfIndex = r.log.lastIndex() + i + 1;
            }
        }
        if (!r.appendEntry(entries)) {
            throw new ProposalDroppedException("too many uncommitted entries");
        }
        Replicator.bcastAppend(r);
    }

    /** Why the conf change in {@code e} must be refused, or null to accept it. */
    private static String refuseConfChange(Raft r, Entry e) {
        if (r.pendingConfIndex > r.log.applied()) {
            return "possible unapplied conf change at index " + r.pendingConfIndex + " (applied to "
                    + r.log.applied() + ")";
        }
        ConfChange cc;
        try {
            cc = ConfChange.decode(e.data());
        } catch (IllegalArgumentException ex) {
            return "malformed conf change";
        }
        return Changer.validate(r.tracker.confState(), cc);
    }

    /** Messages that need the sender's progress; those from non-members are ignored. */
    private static void stepFromMember(Raft r, Message m) {
        Progress pr = r.tracker.progress(m.from());
        if (pr == null) {
            return;
        }
        switch (m.type()) {
            case APP_RESP -> onAppendResponse(r, m, pr);
            case HEARTBEAT_RESP -> onHeartbeatResponse(r, m, pr);
            case SNAP_STATUS -> onSnapshotStatus(pr, m.reject());
            case UNREACHABLE -> {
                // An optimistic APP was probably lost: fall back to probing.
                if (pr.state() == ProgressState.REPLICATE) {
                    pr.becomeProbe();
                }
            }
            case TRANSFER_LEADER -> onTransferLeader(r, m.from(), pr);
            default -> {
                // Other kinds mean nothing to a leader.
            }
        }
    }

    private static void onAppendResponse(Raft r, Message m, Progress pr) {
        pr.setRecentActive(true);
        if (m.reject()) {
            long nextProbe = m.rejectHint();
            if (m.logTerm() > 0) {
                // The follower told us its term at the hint: skip our entries of newer terms too.
                nextProbe = r.log.findConflictByTerm(m.rejectHint(), m.logTerm())[0];
            }
            if (pr.maybeDecrTo(m.index(), nextProbe)) {
                if (pr.state() == ProgressState.REPLICATE) {
                    pr.becomeProbe();
                }
                Replicator.sendAppend(r, m.from());
            }
            return;
        }
        assert m.index() <= r.log.lastIndex() : "follower acknowledged entries we never had";
        boolean wasPaused = pr.isPaused();
        if (!pr.maybeUpdate(m.index())) {
            return;
        }
        switch (pr.state()) {
            case PROBE -> pr.becomeReplicate();
            case SNAPSHOT -> {
                // Once the follower holds everything up to our first index, plain APPs reach it.
                if (pr.match() + 1 >= r.log.firstIndex()) {
                    pr.becomeProbe();
                    pr.becomeReplicate();
                }
            }
            case REPLICATE -> pr.inflights().freeLE(m.index());
        }
        if (r.maybeCommit()) {
            ReadIndexes.releasePending(r);
            Replicator.bcastCommit(r);
        } else if (wasPaused) {
            Replicator.sendAppend(r, m.from());
        }
        // Flow control may now allow several (size-bounded) APPs; the inflight window bounds this.
        while (Replicator.maybeSendAppend(r, m.from(), false)) {
            assert pr.state() == ProgressState.REPLICATE || pr.isPaused();
        }
        if (m.from() == r.leadTransferee && pr.match() == r.log.lastIndex()) {
            Replicator.sendTimeoutNow(r, m.from());
        }
    }

    private static void onHeartbeatResponse(Raft r, Message m, Progress pr) {
        pr.setRecentActive(true);
        pr.setProbeSent(false);
        // Free one slot of a full window so a follower whose acks were lost can make progress.
        if (pr.state() == ProgressState.REPLICATE && pr.inflights().full()) {
            pr.inflights().freeFirstOne();
        }
        if (pr.match() < r.log.lastIndex()) {
            Replicator.sendAppend(r, m.from());
        }
        if (r.readOnly.option() != ReadOnlyOption.SAFE || m.context().length == 0) {
            return;
        }
        Map<Long, Boolean> acks = r.readOnly.recvAck(m.from(), m.context());
        if (acks == null || MajorityConfig.voteResult(r.tracker.voters(), acks) != VoteResult.WON) {
            return;
        }
        for (ReadIndexStatus rs : r.readOnly.advance(m.context())) {
            ReadIndexes.respond(r, rs.request(), rs.index());
        }
    }

    private static void onSnapshotStatus(Progress pr, boolean failed) {
        if (pr.state() != ProgressState.SNAPSHOT) {
            return;
        }
        if (failed) {
            // Forget the snapshot first, or probing would resume from an index never installed.
            pr.becomeSnapshot(0);
        }
        pr.becomeProbe();
        // After success wait for the follower's APP_RESP; after failure wait for a heartbeat.
        pr.setProbeSent(true);
    }

    private static void onTransferLeader(Raft r, long transferee, Progress pr) {
        if (pr.isLearner()) {
            return; // a learner cannot lead
        }
        if (r.leadTransferee != 0) {
            if (r.leadTransferee == transferee) {
                return; // the same transfer is already under way
            }
            r.abortLeaderTransfer();
        }
        if (transferee == r.id) {
            return; // already leader
        }
        // The transfer must finish within an election timeout, counted from now.
        r.electionElapsed = 0;
        r.leadTransferee = transferee;
        if (pr.match() == r.log.lastIndex()) {
            Replicator.sendTimeoutNow(r, transferee);
        } else {
            Replicator.sendAppend(r, transferee);
        }
    }
}
