package io.keel.storage.raftlog;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.HardState;
import io.keel.raft.RaftStorage;
import io.keel.raft.Snapshot;

import java.util.List;

/**
 * A member's durable Raft log as the server's Raft thread uses it: Raft reads through
 * {@link RaftStorage}; the thread writes through the methods here. Implemented by
 * {@link DurableRaftStorage}; tests may adapt {@link io.keel.raft.MemoryStorage}.
 *
 * <p>Called only from the thread that drives the RawNode.
 */
public interface RaftLogStore extends RaftStorage {

    /**
     * Appends {@code entries} (replacing any conflicting suffix) and records {@code hardState}
     * (null = unchanged). When {@code mustSync}, returns only after one durability barrier covering
     * both; a failed barrier throws and the member must stop.
     */
    void save(HardState hardState, List<Entry> entries, boolean mustSync);

    /** Durably replaces the log with a snapshot received from the leader. */
    void applySnapshot(Snapshot snapshot);

    /** Records a snapshot of the applied state at {@code index} (in the log). */
    Snapshot createSnapshot(long index, ConfState confState, byte[] data);

    /** Drops entries up to and including {@code index}, which a snapshot covers. */
    void compact(long index);

    /** The current snapshot's metadata; {@link DurableRaftStorage} answers without reading the snapshot's data. */
    default io.keel.raft.SnapshotMetadata snapshotMetadata() {
        return snapshot().metadata();
    }

    /**
     * The indexes of the conf-change entries in {@code [lo, hi]} (clamped to the entries the log
     * holds), ascending. A restarting member re-applies these to Raft instead of having Raft
     * re-deliver every entry its store already holds. This default reads the entries;
     * {@link DurableRaftStorage} answers from memory.
     */
    default long[] confChangeIndexes(long lo, long hi) {
        long from = Math.max(lo, firstIndex());
        long to = Math.min(hi, lastIndex());
        if (from > to) {
            return new long[0];
        }
        return entries(from, to + 1, Long.MAX_VALUE).stream()
                .filter(e -> e.type() == io.keel.raft.EntryType.CONF_CHANGE).mapToLong(Entry::index).toArray();
    }
}
