package io.keel.raft;

import io.keel.raft.tracker.Progress;
import io.keel.raft.tracker.ProgressState;

import java.util.List;

/**
 * The leader's outgoing replication: APPs (or a SNAP when the follower needs compacted entries),
 * heartbeats and TIMEOUT_NOW, shaped by each follower's {@link Progress}. Stateless; called only by
 * the owning Raft's thread.
 */
final class Replicator {
    private Replicator() {
    }

    static void sendAppend(Raft r, long to) {
        maybeSendAppend(r, to, true, false);
    }

    static boolean maybeSendAppend(Raft r, long to, boolean sendIfEmpty) {
        return maybeSendAppend(r, to, sendIfEmpty, false);
    }

    /**
     * Sends an APP with new entries to {@code to} unless its progress is paused. With
     * {@code sendIfEmpty} an APP without entries is sent too (to carry the commit index or probe).
     * With {@code commitBroadcast} (the commit index just advanced) an empty APP to a follower in
     * steady replication is marked commit-only: its answer would tell us nothing new, since the
     * APPs that carried its entries are answered themselves. Returns whether a message was sent.
     */
    static boolean maybeSendAppend(Raft r, long to, boolean sendIfEmpty, boolean commitBroadcast) {
        Progress pr = r.tracker.progress(to);
        if (pr == null || pr.isPaused()) {
            return false;
        }
        long prevIndex = pr.next() - 1;
        assert prevIndex <= r.log.lastIndex() : "next " + pr.next() + " beyond our log " + r.log.lastIndex();
        long prevTerm;
        List<Entry> ents;
        try {
            prevTerm = r.log.term(prevIndex);
            ents = r.log.entries(pr.next(), r.config.maxSizePerMsgBytes());
        } catch (CompactedException e) {
            return sendSnapshot(r, to, pr, sendIfEmpty);
        }
        if (ents.isEmpty() && !sendIfEmpty) {
            return false;
        }
        if (!ents.isEmpty()) {
            long last = ents.get(ents.size() - 1).index();
            switch (pr.state()) {
                case REPLICATE -> {
                    pr.optimisticUpdate(last);
                    pr.inflights().add(last);
                }
                case PROBE -> pr.setProbeSent(true);
                case SNAPSHOT -> throw new IllegalStateException("sending APP to " + to + " in snapshot state");
            }
        }
        boolean commitOnly = commitBroadcast && ents.isEmpty() && pr.state() == ProgressState.REPLICATE;
        r.send(Message.builder(MessageType.APP).to(to).index(prevIndex).logTerm(prevTerm).entries(ents)
                .commit(r.log.committed()).commitOnly(commitOnly).build());
        return true;
    }

    private static boolean sendSnapshot(Raft r, long to, Progress pr, boolean sendIfEmpty) {
        // Only a follower we recently heard from gets a (large) snapshot.
        if (!sendIfEmpty || !pr.recentActive()) {
            return false;
        }
        Snapshot snap;
        try {
            snap = r.log.snapshot();
        } catch (SnapshotTemporarilyUnavailableException e) {
            return false; // being built; a later heartbeat response retries
        }
        if (snap.isEmpty()) {
            throw new IllegalStateException("need a non-empty snapshot to catch up " + to);
        }
        assert snap.metadata().index() >= pr.match() : "snapshot older than the follower's match";
        pr.becomeSnapshot(snap.metadata().index());
        r.send(Message.builder(MessageType.SNAP).to(to).snapshot(snap).build());
        return true;
    }

    /** Sends APPs (possibly empty, to carry the commit index) to every other member. */
    static void bcastAppend(Raft r) {
        bcast(r, false);
    }

    /**
     * {@link #bcastAppend} after the commit index advanced: an APP that carries nothing but the new
     * commit index to a follower in steady replication goes unanswered (see {@link Message#commitOnly}).
     */
    static void bcastCommit(Raft r) {
        bcast(r, true);
    }

    private static void bcast(Raft r, boolean commitBroadcast) {
        r.tracker.visit((id, pr) -> {
            if (id != r.id) {
                maybeSendAppend(r, id, true, commitBroadcast);
            }
        });
    }

    static void bcastHeartbeat(Raft r) {
        bcastHeartbeatWithContext(r, r.readOnly.lastPendingRequestContext());
    }

    static void bcastHeartbeatWithContext(Raft r, byte[] context) {
        r.tracker.visit((id, pr) -> {
            if (id != r.id) {
                // Never tell a follower a commit index beyond what it is known to hold.
                long commit = Math.min(pr.match(), r.log.committed());
                r.send(Message.builder(MessageType.HEARTBEAT).to(id).commit(commit).context(context).build());
            }
        });
    }

    static void sendTimeoutNow(Raft r, long to) {
        r.send(Message.builder(MessageType.TIMEOUT_NOW).to(to).build());
    }
}
