package io.keel.raft.sim;

import io.keel.raft.ConfChange;
import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import io.keel.raft.HardState;
import io.keel.raft.MemoryStorage;
import io.keel.raft.Message;
import io.keel.raft.MessageType;
import io.keel.raft.Ready;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;
import io.keel.raft.SoftState;
import io.keel.raft.StateRole;
import java.util.List;

/**
 * Handles one {@link Ready} of a {@link SimNode} in the order the contract demands: send the
 * leader's early messages, persist (snapshot, entries, hard state), send the rest, apply, advance, checking the invariants that each stage
 * touches. An armed crash cuts the sequence short at its point; whatever was not yet persisted is
 * lost with the node. Created per Ready by its node; not thread-safe.
 */
final class ReadyHandler {
    private final SimNode node;
    private final MemoryStorage disk;
    private final Invariants invariants;

    ReadyHandler(SimNode node) {
        this.node = node;
        this.disk = node.disk();
        this.invariants = node.invariants();
    }

    void handle(Ready rd) {
        SimNode.CrashPoint crash = node.takeArmedCrash();
        if (crash == SimNode.CrashPoint.BEFORE_PERSIST) {
            node.crash();
            return;
        }
        // A leader's appends leave before its own persistence (pipelining), as in the server.
        send(rd.messagesBeforePersist());
        if (crash == SimNode.CrashPoint.AFTER_EARLY_SEND) {
            node.crash();
            return;
        }
        persist(rd);
        if (crash == SimNode.CrashPoint.AFTER_PERSIST) {
            node.crash();
            return;
        }
        noteRole(rd.softState());
        send(rd.messagesAfterPersist());
        if (crash == SimNode.CrashPoint.AFTER_SEND) {
            node.crash();
            return;
        }
        apply(rd, crash == SimNode.CrashPoint.MID_APPLY);
        if (!node.isUp()) {
            return;
        }
        node.readStates(rd.readStates());
        if (crash == SimNode.CrashPoint.BEFORE_ADVANCE) {
            node.crash();
            return;
        }
        node.raft().advance(rd);
    }

    private void persist(Ready rd) {
        Snapshot snap = rd.snapshot();
        if (!snap.isEmpty()) {
            disk.applySnapshot(snap);
            long termNow = rd.hardState() != null ? rd.hardState().term() : node.term();
            invariants.committed(node.id(), snap.metadata().index(), snap.metadata().term(), termNow);
        }
        List<Entry> entries = rd.entries();
        if (!entries.isEmpty()) {
            checkOverwrites(rd, entries);
            disk.append(entries);
            long snapshotIndex = disk.firstIndex() - 1;
            List<Entry> kept = entries.stream().filter(e -> e.index() > snapshotIndex).toList();
            if (!kept.isEmpty()) {
                invariants.entriesPersisted(node.id(), disk.term(kept.get(0).index() - 1), kept);
            }
        }
        HardState hs = rd.hardState();
        if (hs != null) {
            boolean staysLeader = node.role() == StateRole.LEADER
                    && (rd.softState() == null || rd.softState().role() == StateRole.LEADER);
            if (staysLeader && hs.term() == node.term() && hs.commit() > disk.hardState().commit()) {
                invariants.leaderCommitted(node.id(), hs.commit(), disk.term(hs.commit()), node.conf().voters(),
                        id -> node.host().diskOf(id));
            }
            invariants.hardStatePersisted(node.id(), hs);
            disk.setHardState(hs);
            recordCommitted(hs.commit());
        }
        if (rd.mustSync() || !node.host().losesUnsyncedWrites()) {
            // A durability barrier makes everything written so far durable, not just this Ready.
            node.synced();
        }
    }

    private void checkOverwrites(Ready rd, List<Entry> entries) {
        boolean staysLeader = node.role() == StateRole.LEADER
                && (rd.softState() == null || rd.softState().role() == StateRole.LEADER)
                && (rd.hardState() == null || rd.hardState().term() == node.term());
        if (staysLeader) {
            invariants.leaderAppends(node.id(), node.term(), entries.get(0).index(), disk.lastIndex());
        }
        long commit = disk.hardState().commit();
        for (Entry e : entries) {
            if (e.index() > commit || e.index() > disk.lastIndex()) {
                break;
            }
            if (e.index() >= disk.firstIndex()) {
                invariants.entryReplaced(node.id(), e.index(), disk.term(e.index()), e.term(), commit);
            }
        }
    }

    /** Entries up to a persisted commit index are committed; remember their terms. */
    private void recordCommitted(long commit) {
        long from = Math.max(node.recordedCommit() + 1, disk.firstIndex());
        long to = Math.min(commit, disk.lastIndex());
        for (long i = from; i <= to; i++) {
            invariants.committed(node.id(), i, disk.term(i), disk.hardState().term());
        }
        node.setRecordedCommit(Math.max(node.recordedCommit(), commit));
    }

    private void noteRole(SoftState soft) {
        if (soft == null) {
            return;
        }
        boolean wasLeader = node.role() == StateRole.LEADER;
        node.setRole(soft.role(), soft.leaderId());
        if (soft.role() == StateRole.LEADER && !wasLeader) {
            node.trace().event(node.host().now(), "leader", node.id(), node.term(), disk.lastIndex());
            if (!node.conf().voters().contains(node.id())) {
                throw new InvariantViolation(Invariants.ONLY_VOTERS_LEAD, "node " + node.id() + " leads term "
                        + node.term() + " but its configuration is " + node.conf());
            }
            invariants.leaderElected(node.id(), node.term(), disk);
        }
    }

    private void send(List<Message> messages) {
        for (Message m : messages) {
            if (m.type().isLocal()) {
                throw new InvariantViolation("local messages stay local", "node " + node.id() + " sent " + m);
            }
            if (m.type() == MessageType.VOTE_RESP && !m.reject()) {
                invariants.voteGranted(node.id(), m.term(), m.to(), disk.hardState());
            }
            if (m.type() == MessageType.APP_RESP && !m.reject()) {
                invariants.appendAcked(node.id(), m.index(), disk.lastIndex());
            }
            if (m.type() == MessageType.SNAP && node.host().sendsFreshSnapshots()) {
                m = withFreshSnapshot(m);
            }
            node.host().send(node, m);
        }
    }

    private Message withFreshSnapshot(Message m) {
        KvStateMachine sm = node.stateMachine();
        long index = sm.appliedIndex();
        if (index <= m.snapshot().metadata().index()) {
            return m;
        }
        Snapshot fresh = new Snapshot(new SnapshotMetadata(node.conf(), index, disk.term(index)), sm.encode());
        return new Message(m.type(), m.to(), m.from(), m.term(), m.logTerm(), m.index(), m.entries(), m.commit(),
                fresh, m.reject(), m.rejectHint(), m.context(), m.commitOnly());
    }

    /** Applies the snapshot and committed entries (all, or half when a crash strikes midway). */
    private void apply(Ready rd, boolean crashMidway) {
        Snapshot snap = rd.snapshot();
        if (!snap.isEmpty()) {
            KvStateMachine restored = KvStateMachine.decode(snap.data());
            if (restored.appliedIndex() != snap.metadata().index()) {
                throw new InvariantViolation(Invariants.STATE_MACHINE_SAFETY, "snapshot at "
                        + snap.metadata().index() + " holds state applied to " + restored.appliedIndex());
            }
            node.setStateMachine(restored);
            node.setConf(snap.metadata().confState());
            invariants.restored(node.id(), restored.appliedIndex(), restored.chain());
        }
        List<Entry> committed = rd.committedEntries();
        int stopAt = crashMidway ? committed.size() / 2 : committed.size();
        for (int i = 0; i < stopAt; i++) {
            Entry e = committed.get(i);
            KvStateMachine sm = node.stateMachine();
            boolean accepted = sm.apply(e);
            invariants.applied(node.id(), e, sm.chain());
            if (e.type() == EntryType.CONF_CHANGE && accepted) {
                // As the server: Raft takes a conf change only if the state machine did.
                node.setConf(node.raft().applyConfChange(ConfChange.decode(e.data())));
            }
            node.host().applied(node, e, accepted);
        }
        if (crashMidway) {
            node.crash();
        }
    }
}
