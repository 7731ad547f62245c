package io.keel.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference {@link RaftStorage}: everything in memory, as etcd's raft.MemoryStorage. Used by
 * tests and the simulation, where it stands for what a member has made durable.
 *
 * <p>Not thread-safe; confined to the thread that drives the {@link RawNode}.
 *
 * <p>Invariant: {@code entries.get(0)} is a dummy entry carrying the snapshot's index and term, so
 * {@code term(snapshotIndex)} stays answerable after compaction.
 */
public final class MemoryStorage implements RaftStorage {
    private HardState hardState = HardState.EMPTY;
    private Snapshot snapshot = Snapshot.EMPTY;
    private final ArrayList<Entry> entries = new ArrayList<>();

    public MemoryStorage() {
        entries.add(new Entry(0, 0, EntryType.NORMAL, null));
    }

    @Override
    public InitialState initialState() {
        return new InitialState(hardState, snapshot.metadata().confState());
    }

    public void setHardState(HardState hs) {
        this.hardState = hs;
    }

    public HardState hardState() {
        return hardState;
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxSizeBytes) {
        long offset = offset();
        if (lo <= offset) {
            throw new CompactedException();
        }
        if (hi > lastIndex() + 1) {
            throw new UnavailableException();
        }
        if (lo > hi) {
            throw new IllegalArgumentException("invalid range [" + lo + "," + hi + ")");
        }
        List<Entry> out = new ArrayList<>();
        long size = 0;
        for (long i = lo; i < hi; i++) {
            Entry e = entries.get((int) (i - offset));
            size += e.sizeBytes();
            if (!out.isEmpty() && size > maxSizeBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public long term(long index) {
        long offset = offset();
        if (index < offset) {
            throw new CompactedException();
        }
        if (index - offset >= entries.size()) {
            throw new UnavailableException();
        }
        return entries.get((int) (index - offset)).term();
    }

    @Override
    public long lastIndex() {
        return offset() + entries.size() - 1;
    }

    @Override
    public long firstIndex() {
        return offset() + 1;
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Replaces the whole log with {@code snap} (a follower installing the leader's snapshot).
     * Throws IllegalStateException if {@code snap} is older than the current one.
     */
    public void applySnapshot(Snapshot snap) {
        if (snap.metadata().index() <= snapshot.metadata().index()) {
            throw new IllegalStateException("snapshot is out of date: " + snap.metadata().index()
                    + " <= " + snapshot.metadata().index());
        }
        snapshot = snap;
        entries.clear();
        entries.add(new Entry(snap.metadata().term(), snap.metadata().index(), EntryType.NORMAL, null));
    }

    /**
     * Records a snapshot of the applied state at {@code index} (which must be in the log) without
     * discarding entries; follow with {@link #compact(long)} to drop them.
     */
    public Snapshot createSnapshot(long index, ConfState confState, byte[] data) {
        if (index <= snapshot.metadata().index()) {
            throw new IllegalStateException("snapshot is out of date");
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("snapshot " + index + " is beyond last index " + lastIndex());
        }
        long term = entries.get((int) (index - offset())).term();
        snapshot = new Snapshot(new SnapshotMetadata(confState, index, term), data);
        return snapshot;
    }

    /** Discards entries up to and including {@code compactIndex}, which must be applied. */
    public void compact(long compactIndex) {
        long offset = offset();
        if (compactIndex <= offset) {
            throw new CompactedException();
        }
        if (compactIndex > lastIndex()) {
            throw new IllegalArgumentException("compact " + compactIndex + " is beyond last index " + lastIndex());
        }
        int i = (int) (compactIndex - offset);
        Entry dummy = new Entry(entries.get(i).term(), compactIndex, EntryType.NORMAL, null);
        List<Entry> rest = new ArrayList<>(entries.subList(i + 1, entries.size()));
        entries.clear();
        entries.add(dummy);
        entries.addAll(rest);
    }

    /**
     * Appends {@code newEntries}, which must be contiguous; any existing suffix they overlap is
     * replaced (a follower's conflicting entries). Entries already covered by the snapshot are skipped.
     */
    public void append(List<Entry> newEntries) {
        if (newEntries.isEmpty()) {
            return;
        }
        long first = firstIndex();
        long last = newEntries.get(newEntries.size() - 1).index();
        if (last < first) {
            return;
        }
        List<Entry> ents = newEntries;
        if (first > ents.get(0).index()) {
            ents = ents.subList((int) (first - ents.get(0).index()), ents.size());
        }
        long offset = ents.get(0).index() - offset();
        if (offset > entries.size()) {
            throw new IllegalArgumentException("missing log entry [last: " + lastIndex() + ", append at: "
                    + ents.get(0).index() + "]");
        }
        while (entries.size() > offset) {
            entries.remove(entries.size() - 1);
        }
        entries.addAll(ents);
    }

    private long offset() {
        return entries.get(0).index();
    }
}
