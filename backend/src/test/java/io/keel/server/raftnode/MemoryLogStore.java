package io.keel.server.raftnode;

import io.keel.storage.raftlog.RaftLogStore;

import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.HardState;
import io.keel.raft.InitialState;
import io.keel.raft.MemoryStorage;
import io.keel.raft.Snapshot;

import java.util.List;
import java.util.function.Consumer;

/** {@link RaftLogStore} over MemoryStorage, standing for a disk that survives restarts in tests. */
final class MemoryLogStore implements RaftLogStore {
    final MemoryStorage storage = new MemoryStorage();
    /** Runs on the Raft thread at the start of every save, as a slow disk would hold it there. */
    volatile Consumer<List<Entry>> beforeSave = entries -> { };

    @Override
    public void save(HardState hardState, List<Entry> entries, boolean mustSync) {
        beforeSave.accept(entries);
        storage.append(entries);
        if (hardState != null) {
            storage.setHardState(hardState);
        }
    }

    @Override
    public void applySnapshot(Snapshot snapshot) {
        storage.applySnapshot(snapshot);
    }

    @Override
    public Snapshot createSnapshot(long index, ConfState confState, byte[] data) {
        return storage.createSnapshot(index, confState, data);
    }

    @Override
    public void compact(long index) {
        storage.compact(index);
    }

    @Override
    public InitialState initialState() {
        return storage.initialState();
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxSizeBytes) {
        return storage.entries(lo, hi, maxSizeBytes);
    }

    @Override
    public long term(long index) {
        return storage.term(index);
    }

    @Override
    public long lastIndex() {
        return storage.lastIndex();
    }

    @Override
    public long firstIndex() {
        return storage.firstIndex();
    }

    @Override
    public Snapshot snapshot() {
        return storage.snapshot();
    }
}
