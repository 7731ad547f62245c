package io.keel.server.raftnode;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.HardState;
import io.keel.raft.InitialState;
import io.keel.raft.Snapshot;
import io.keel.storage.raftlog.DurableRaftStorage;

import java.util.List;

/**
 * The member's Chronicle-backed Raft log as the node's {@link RaftLogStore}: a plain delegation,
 * since the storage module cannot depend on the server's interface. Same thread rules as the
 * wrapped {@link DurableRaftStorage}: the Raft thread only.
 */
public final class DurableLogStore implements RaftLogStore {
    private final DurableRaftStorage log;

    public DurableLogStore(DurableRaftStorage log) {
        this.log = log;
    }

    @Override
    public void save(HardState hardState, List<Entry> entries, boolean mustSync) {
        log.save(hardState, entries, mustSync);
    }

    @Override
    public void applySnapshot(Snapshot snapshot) {
        log.applySnapshot(snapshot);
    }

    @Override
    public Snapshot createSnapshot(long index, ConfState confState, byte[] data) {
        return log.createSnapshot(index, confState, data);
    }

    @Override
    public void compact(long index) {
        log.compact(index);
    }

    @Override
    public InitialState initialState() {
        return log.initialState();
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxSizeBytes) {
        return log.entries(lo, hi, maxSizeBytes);
    }

    @Override
    public long term(long index) {
        return log.term(index);
    }

    @Override
    public long lastIndex() {
        return log.lastIndex();
    }

    @Override
    public long firstIndex() {
        return log.firstIndex();
    }

    @Override
    public Snapshot snapshot() {
        return log.snapshot();
    }
}
