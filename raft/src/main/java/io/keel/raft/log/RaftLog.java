package io.keel.raft.log;

import io.keel.raft.CompactedException;
import io.keel.raft.Entry;
import io.keel.raft.RaftStorage;
import io.keel.raft.Snapshot;
import io.keel.raft.UnavailableException;

import java.util.ArrayList;
import java.util.List;

/**
 * The Raft log as the core sees it: what the application has persisted ({@link RaftStorage}) plus
 * what is accepted but not yet persisted ({@link Unstable}), and the commit / apply cursors.
 *
 * <p>Invariants: {@code applied <= committed <= lastIndex()}; committed entries are never
 * overwritten. Owned by one Raft instance; not thread-safe.
 */
public final class RaftLog {
    private final RaftStorage storage;
    private final Unstable unstable;
    private final long maxNextEntriesBytes;
    /** Highest index known to be stored on a quorum. */
    private long committed;
    /** Highest index handed to the application for applying. */
    private long applied;

    public RaftLog(RaftStorage storage, long maxNextEntriesBytes) {
        this.storage = storage;
        this.maxNextEntriesBytes = maxNextEntriesBytes;
        this.unstable = new Unstable(storage.lastIndex() + 1);
        this.committed = storage.firstIndex() - 1;
        this.applied = committed;
    }

    public long committed() {
        return committed;
    }

    public long applied() {
        return applied;
    }

    public long firstIndex() {
        long i = unstable.maybeFirstIndex();
        return i != Unstable.UNKNOWN ? i : storage.firstIndex();
    }

    public long lastIndex() {
        long i = unstable.maybeLastIndex();
        return i != Unstable.UNKNOWN ? i : storage.lastIndex();
    }

    /**
     * Term of the entry at {@code index}: 0 beyond the last index, and throws
     * {@link CompactedException} below the first index the log still knows the term of.
     */
    public long term(long index) {
        long dummy = firstIndex() - 1;
        if (index < dummy) {
            throw new CompactedException();
        }
        if (index > lastIndex()) {
            return 0;
        }
        long t = unstable.maybeTerm(index);
        if (t != Unstable.UNKNOWN) {
            return t;
        }
        return storage.term(index);
    }

    /** {@link #term(long)}, with 0 for a compacted or unavailable index. */
    public long termOrZero(long index) {
        try {
            return term(index);
        } catch (CompactedException | UnavailableException e) {
            return 0;
        }
    }

    public long lastTerm() {
        return term(lastIndex());
    }

    public boolean matchTerm(long index, long term) {
        return termOrZero(index) == term;
    }

    /** Raft's up-to-date check (5.4.1): is a log ending at (lastIndex, lastTerm) at least as new? */
    public boolean isUpToDate(long candidateLastIndex, long candidateLastTerm) {
        long ourTerm = lastTerm();
        return candidateLastTerm > ourTerm || (candidateLastTerm == ourTerm && candidateLastIndex >= lastIndex());
    }

    /**
     * A follower's append: if our entry at {@code prevIndex} has {@code prevTerm}, appends
     * {@code ents} (dropping a conflicting suffix), advances the commit to
     * min(leaderCommit, last new index) and returns that last new index; otherwise returns -1.
     */
    public long maybeAppend(long prevIndex, long prevTerm, long leaderCommit, List<Entry> ents) {
        if (!matchTerm(prevIndex, prevTerm)) {
            return -1;
        }
        long lastNew = prevIndex + ents.size();
        long conflict = findConflict(ents);
        if (conflict != 0) {
            if (conflict <= committed) {
                throw new IllegalStateException("entry " + conflict + " conflicts with committed entry "
                        + committed);
            }
            append(ents.subList((int) (conflict - (prevIndex + 1)), ents.size()));
        }
        commitTo(Math.min(leaderCommit, lastNew));
        return lastNew;
    }

    /** Appends entries that follow on from (or overwrite uncommitted) entries; returns lastIndex. */
    public long append(List<Entry> ents) {
        if (ents.isEmpty()) {
            return lastIndex();
        }
        long after = ents.get(0).index() - 1;
        if (after < committed) {
            throw new IllegalStateException("append after " + after + " is below committed " + committed);
        }
        unstable.truncateAndAppend(ents);
        return lastIndex();
    }

    /**
     * First index among {@code ents} whose term differs from ours (or that we lack), or 0 when all
     * of them are already in the log.
     */
    public long findConflict(List<Entry> ents) {
        for (Entry e : ents) {
            if (!matchTerm(e.index(), e.term())) {
                return e.index();
            }
        }
        return 0;
    }

    /**
     * Fast backtracking: the largest index at or below {@code index} whose term is at or below
     * {@code term}, with that term. Returns [index, 0] when the term is unknown (compacted), since
     * the logs may match there; [0, 0] when nothing qualifies.
     */
    public long[] findConflictByTerm(long index, long term) {
        for (long i = index; i > 0; i--) {
            long ours;
            try {
                ours = term(i);
            } catch (CompactedException | UnavailableException e) {
                return new long[] {i, 0};
            }
            if (ours <= term) {
                return new long[] {i, ours};
            }
        }
        return new long[] {0, 0};
    }

    /** Entries from {@code index} to the end, at most {@code maxBytes} (but at least one). */
    public List<Entry> entries(long index, long maxBytes) {
        if (index > lastIndex()) {
            return List.of();
        }
        return slice(index, lastIndex() + 1, maxBytes);
    }

    /**
     * Entries [lo, hi), size-limited to {@code maxBytes} (at least one entry).
     *
     * @throws CompactedException when lo is no longer in the log
     */
    public List<Entry> slice(long lo, long hi, long maxBytes) {
        if (lo > hi) {
            throw new IllegalArgumentException("invalid slice " + lo + " > " + hi);
        }
        if (lo < firstIndex()) {
            throw new CompactedException();
        }
        if (hi > lastIndex() + 1) {
            throw new IllegalStateException("slice [" + lo + "," + hi + ") out of bound " + lastIndex());
        }
        if (lo == hi) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        long unstableOffset = unstable.offset();
        if (lo < unstableOffset) {
            long storedHi = Math.min(hi, unstableOffset);
            List<Entry> stored = storage.entries(lo, storedHi, maxBytes);
            if (stored.size() < storedHi - lo) {
                return stored; // the size limit was reached inside storage
            }
            out.addAll(stored);
        }
        if (hi > unstableOffset) {
            out.addAll(unstable.slice(Math.max(lo, unstableOffset), hi));
        }
        return limitSize(out, maxBytes);
    }

    static List<Entry> limitSize(List<Entry> ents, long maxBytes) {
        long size = 0;
        int n = 0;
        for (Entry e : ents) {
            size += e.sizeBytes();
            if (n > 0 && size > maxBytes) {
                break;
            }
            n++;
        }
        return n == ents.size() ? ents : new ArrayList<>(ents.subList(0, n));
    }

    /**
     * The last index of the log's durable prefix: entries below the unstable ones, which the
     * application has persisted and which no pending append replaces.
     */
    public long stableLastIndex() {
        return unstable.offset() - 1;
    }

    /** Entries accepted but not yet persisted by the application. */
    public List<Entry> unstableEntries() {
        return unstable.entries();
    }

    public boolean hasUnstableEntries() {
        return unstable.hasEntries();
    }

    /** Committed entries not yet handed out for applying, bounded in bytes. */
    public List<Entry> nextEntries() {
        long from = Math.max(applied + 1, firstIndex());
        if (committed + 1 > from) {
            return slice(from, committed + 1, maxNextEntriesBytes);
        }
        return List.of();
    }

    public boolean hasNextEntries() {
        return committed + 1 > Math.max(applied + 1, firstIndex());
    }

    public boolean hasPendingSnapshot() {
        return unstable.snapshot() != null;
    }

    /** The snapshot received but not yet persisted, or null. */
    public Snapshot pendingSnapshot() {
        return unstable.snapshot();
    }

    /** The newest snapshot: the pending one, else the application's. */
    public Snapshot snapshot() {
        Snapshot s = unstable.snapshot();
        return s != null ? s : storage.snapshot();
    }

    public void commitTo(long index) {
        if (committed < index) {
            if (lastIndex() < index) {
                throw new IllegalStateException("commit " + index + " is out of range [lastIndex " + lastIndex()
                        + "]; was the log corrupted, truncated, or lost?");
            }
            committed = index;
        }
        assert applied <= committed && committed <= lastIndex();
    }

    /** Leader commit: advances only to an entry of the leader's own {@code term} (5.4.2). */
    public boolean maybeCommit(long index, long term) {
        if (index > committed && termOrZero(index) == term) {
            commitTo(index);
            return true;
        }
        return false;
    }

    public void appliedTo(long index) {
        if (index == 0) {
            return;
        }
        if (committed < index || index < applied) {
            throw new IllegalStateException("applied " + index + " is out of range [prevApplied " + applied
                    + ", committed " + committed + "]");
        }
        applied = index;
    }

    /** On restart: the commit index saved in the hard state. */
    public void restoreCommitted(long index) {
        if (index < committed || index > lastIndex()) {
            throw new IllegalStateException("saved commit " + index + " is out of range [" + committed + ", "
                    + lastIndex() + "]");
        }
        committed = index;
    }

    public void stableTo(long index, long term) {
        unstable.stableTo(index, term);
    }

    public void stableSnapTo(long index) {
        unstable.stableSnapTo(index);
    }

    /** Replaces the whole log with {@code snap} (a follower installing the leader's snapshot). */
    public void restore(Snapshot snap) {
        assert snap.metadata().index() > committed : "restoring a snapshot behind the commit index";
        committed = snap.metadata().index();
        unstable.restore(snap);
    }

    @Override
    public String toString() {
        return "RaftLog{committed=" + committed + " applied=" + applied + " unstableOffset=" + unstable.offset()
                + " last=" + lastIndex() + "}";
    }
}
