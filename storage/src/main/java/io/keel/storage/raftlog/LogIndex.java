package io.keel.storage.raftlog;

import io.keel.raft.CompactedException;
import io.keel.raft.UnavailableException;

import java.util.Arrays;

/**
 * The in-memory index of the log: the term and Chronicle queue index of every entry in
 * {@code (offset, lastIndex]}, plus the term at {@code offset} (the compaction point), so Raft's
 * term lookups never touch the disk, and which entries are conf changes, so a restart can find the
 * ones it must re-apply to Raft without reading every entry back. 17 bytes per entry; compaction
 * bounds it.
 *
 * <p>Owned by {@link DurableRaftStorage}; not thread-safe.
 * Invariant: {@code lastIndex() == offset + size}, {@code offset >= 0}.
 */
final class LogIndex {
    private long offset;
    private long offsetTerm;
    private long[] terms = new long[1024];
    private long[] queueIndexes = new long[1024];
    private boolean[] confChanges = new boolean[1024];
    private int size;

    long offset() {
        return offset;
    }

    long offsetTerm() {
        return offsetTerm;
    }

    long firstIndex() {
        return offset + 1;
    }

    long lastIndex() {
        return offset + size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long term(long index) {
        if (index < offset) {
            throw new CompactedException();
        }
        if (index > lastIndex()) {
            throw new UnavailableException();
        }
        return index == offset ? offsetTerm : terms[(int) (index - offset - 1)];
    }

    long queueIndex(long index) {
        if (index <= offset || index > lastIndex()) {
            throw new IllegalArgumentException("index " + index + " outside (" + offset + ", " + lastIndex() + "]");
        }
        return queueIndexes[(int) (index - offset - 1)];
    }

    void append(long index, long term, long queueIndex, boolean confChange) {
        if (index != lastIndex() + 1) {
            throw new IllegalArgumentException("append at " + index + " after last index " + lastIndex());
        }
        if (size == terms.length) {
            terms = Arrays.copyOf(terms, size * 2);
            queueIndexes = Arrays.copyOf(queueIndexes, size * 2);
            confChanges = Arrays.copyOf(confChanges, size * 2);
        }
        terms[size] = term;
        queueIndexes[size] = queueIndex;
        confChanges[size] = confChange;
        size++;
    }

    /** Indexes of the conf-change entries in {@code [lo, hi]}, clamped to the log, ascending. */
    long[] confChangeIndexes(long lo, long hi) {
        long from = Math.max(lo, offset + 1);
        long to = Math.min(hi, lastIndex());
        long[] out = new long[0];
        int n = 0;
        for (long i = from; i <= to; i++) {
            if (confChanges[(int) (i - offset - 1)]) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, Math.max(4, n * 2));
                }
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Drops entries at and above {@code index}; {@code index} must be in {@code (offset, lastIndex+1]}. */
    void truncateFrom(long index) {
        if (index <= offset || index > lastIndex() + 1) {
            throw new IllegalArgumentException("truncate at " + index + " outside (" + offset + ", " + (lastIndex() + 1) + "]");
        }
        size = (int) (index - offset - 1);
    }

    /** Drops entries up to and including {@code index}, which becomes the new offset. */
    void compactTo(long index) {
        long newTerm = term(index);
        int drop = (int) (index - offset);
        System.arraycopy(terms, drop, terms, 0, size - drop);
        System.arraycopy(queueIndexes, drop, queueIndexes, 0, size - drop);
        System.arraycopy(confChanges, drop, confChanges, 0, size - drop);
        size -= drop;
        offset = index;
        offsetTerm = newTerm;
        if (terms.length > 1024 && size < terms.length / 4) {
            terms = Arrays.copyOf(terms, Math.max(1024, size * 2));
            queueIndexes = Arrays.copyOf(queueIndexes, terms.length);
            confChanges = Arrays.copyOf(confChanges, terms.length);
        }
    }

    /** Sets the term at the offset, which a replay that began mid-log learns from the snapshot. */
    void pinOffsetTerm(long term) {
        offsetTerm = term;
    }

    /** Empties the log so that it restarts after ({@code index}, {@code term}). */
    void reset(long index, long term) {
        offset = index;
        offsetTerm = term;
        size = 0;
    }
}
