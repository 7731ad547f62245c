package io.keel.server.raftnode;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.HardState;
import io.keel.raft.RaftStorage;
import io.keel.raft.Snapshot;

import java.util.List;

/**
 * The member's durable Raft log as the {@link RaftNode} uses it: Raft reads through
 * {@link RaftStorage}; the node writes through the methods here. Implemented by the Chronicle
 * log in {@code storage}; tests may adapt {@link io.keel.raft.MemoryStorage}.
 *
 * <p>Called only from the node's Raft thread.
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
}
