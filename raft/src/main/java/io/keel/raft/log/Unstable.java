package io.keel.raft.log;

import io.keel.raft.Entry;
import io.keel.raft.Snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * Entries and a snapshot that Raft has accepted but the application has not yet persisted (etcd's
 * unstable). Entry {@code i} of the list has log index {@code offset + i}.
 *
 * <p>Invariant: if a snapshot is present, {@code offset == snapshot.index + 1}, or entries appended
 * after it have moved offset past it. Owned by one {@link RaftLog}; not thread-safe.
 */
final class Unstable {
    /** Sentinel for "no such term / index known here". */
    static final long UNKNOWN = -1;

    private Snapshot snapshot;
    private final ArrayList<Entry> entries = new ArrayList<>();
    private long offset;

    Unstable(long offset) {
        this.offset = offset;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    long offset() {
        return offset;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    boolean hasEntries() {
        return !entries.isEmpty();
    }

    /** First index known only here (the one after the pending snapshot), or UNKNOWN. */
    long maybeFirstIndex() {
        return snapshot != null ? snapshot.metadata().index() + 1 : UNKNOWN;
    }

    /** Last index known here, or UNKNOWN when neither entries nor a snapshot are pending. */
    long maybeLastIndex() {
        if (!entries.isEmpty()) {
            return offset + entries.size() - 1;
        }
        return snapshot != null ? snapshot.metadata().index() : UNKNOWN;
    }

    /** Term of {@code index} if this unstable part knows it, else UNKNOWN. */
    long maybeTerm(long index) {
        if (index < offset) {
            if (snapshot != null && snapshot.metadata().index() == index) {
                return snapshot.metadata().term();
            }
            return UNKNOWN;
        }
        long last = maybeLastIndex();
        if (last == UNKNOWN || index > last) {
            return UNKNOWN;
        }
        return entries.get((int) (index - offset)).term();
    }

    /** The application persisted entries up to {@code index} (with {@code term}); forget them. */
    void stableTo(long index, long term) {
        long known = maybeTerm(index);
        // Only when the entry is still ours: a newer leader may have replaced it since the Ready.
        if (known == term && index >= offset) {
            entries.subList(0, (int) (index + 1 - offset)).clear();
            offset = index + 1;
        }
    }

    void stableSnapTo(long index) {
        if (snapshot != null && snapshot.metadata().index() == index) {
            snapshot = null;
        }
    }

    void restore(Snapshot snap) {
        offset = snap.metadata().index() + 1;
        entries.clear();
        snapshot = snap;
    }

    /** Appends {@code ents} (contiguous), replacing any suffix they overlap. */
    void truncateAndAppend(List<Entry> ents) {
        long after = ents.get(0).index();
        if (after == offset + entries.size()) {
            entries.addAll(ents);
        } else if (after <= offset) {
            // The new entries replace everything unstable (and possibly stable entries too, which
            // the application overwrites when it persists them).
            offset = after;
            entries.clear();
            entries.addAll(ents);
        } else {
            entries.subList((int) (after - offset), entries.size()).clear();
            entries.addAll(ents);
        }
        assert entries.isEmpty() || entries.get(0).index() == offset : "unstable offset drifted";
    }

    /** Entries [lo, hi), which must lie within the unstable range. */
    List<Entry> slice(long lo, long hi) {
        if (lo > hi || lo < offset || hi > offset + entries.size()) {
            throw new IllegalStateException("unstable slice [" + lo + "," + hi + ") out of bound ["
                    + offset + "," + (offset + entries.size()) + "]");
        }
        return new ArrayList<>(entries.subList((int) (lo - offset), (int) (hi - offset)));
    }
}
