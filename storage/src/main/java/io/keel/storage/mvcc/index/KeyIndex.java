package io.keel.storage.mvcc.index;

import io.keel.storage.mvcc.Revision;
import java.util.Arrays;
import java.util.Set;

/**
 * The revisions of one key, grouped in generations (etcd's keyIndex). Written by the applier
 * thread (puts, tombstones, compaction, rollback), read by any thread: every method holds this
 * object's monitor, briefly and without I/O.
 *
 * <p>Packed, because the index holds one of these per key for the store's life: all generations
 * live in one {@code long[]}, each a header {@code [version, created main, created sub, count]}
 * followed by its {@code count} revisions as {@code (main, sub)} pairs, oldest first. A key put
 * once costs this object and a 6-long array (about 90 bytes), where objects per generation and per
 * revision cost about 230 ({@link #packedLayout} keeps the layout in one place). Invariants: there
 * is always at least one generation and only the last (at {@code last}) may be empty; revisions
 * increase strictly; the last stored revision is the key's modified revision.
 */
public final class KeyIndex {
    private static final int VERSION = 0;
    private static final int CREATED_MAIN = 1;
    private static final int CREATED_SUB = 2;
    private static final int COUNT = 3;
    private static final int HEADER = 4;
    /** Longs one {@link #mark} takes. */
    static final int MARK_LONGS = 1 + HEADER;

    private final byte[] key;
    /** Generations back to back; may have spare capacity past the last generation's revisions. */
    private long[] a;
    /** Offset of the last generation's header. */
    private int last;

    KeyIndex(byte[] key) {
        this.key = key;
        this.a = new long[HEADER + 2]; // a key is usually put, and then kept, once
    }

    public byte[] key() {
        return key;
    }

    synchronized void put(Revision rev) {
        if (!greaterThanModified(rev.main(), rev.sub())) {
            throw new IllegalStateException("put at " + rev + " not above " + modified());
        }
        if (a[last + COUNT] == 0) {
            setCreated(rev);
        }
        append(rev);
        a[last + VERSION]++;
    }

    /** Ends the current generation at {@code rev}; false if the key has no live version. */
    synchronized boolean tombstone(Revision rev) {
        if (a[last + COUNT] == 0) {
            return false;
        }
        put(rev);
        newGeneration();
        return true;
    }

    /** Rebuilds from a stored put whose earlier revisions may be compacted away. */
    synchronized void restore(Revision created, Revision rev, long version) {
        if (a[last + COUNT] == 0) {
            setCreated(created);
        }
        append(rev);
        a[last + VERSION] = version;
    }

    /** Rebuilds from a stored tombstone. */
    synchronized void restoreTombstone(Revision rev) {
        if (a[last + COUNT] == 0) {
            setCreated(rev);
            a[last + VERSION] = 1;
        } else {
            a[last + VERSION]++;
        }
        append(rev);
        newGeneration();
    }

    /** The live version at {@code atRev}, or null if the key did not exist then. */
    synchronized IndexEntry get(long atRev) {
        // The newest non-empty generation that began at or before atRev decides: generations
        // begin in increasing order, so it is the last of those scanned before one begins later.
        int found = -1;
        for (int g = 0; g <= last; g = next(g)) {
            if (a[g + COUNT] == 0) {
                continue;
            }
            if (mainAt(g, 0) > atRev) {
                break;
            }
            found = g;
        }
        if (found < 0) {
            return null;
        }
        int count = (int) a[found + COUNT];
        if (found != last && mainAt(found, count - 1) <= atRev) {
            return null; // tombstoned at or before atRev
        }
        int n = newestAtOrBelow(found, atRev);
        if (n < 0) {
            return null;
        }
        return new IndexEntry(key, revAt(found, n), new Revision(a[found + CREATED_MAIN], a[found + CREATED_SUB]),
                a[found + VERSION] - (count - n - 1));
    }

    /**
     * Drops revisions no longer needed at {@code atRev}, adding the survivors at or below it to
     * {@code available}. Returns true if nothing remains (the caller removes the key).
     */
    synchronized boolean compact(long atRev, Set<Revision> available) {
        int g = compactionGeneration(atRev);
        int revIdx = newestAtOrBelow(g, atRev);
        int dropRevs = 0;
        if (revIdx >= 0) {
            available.add(revAt(g, revIdx));
            dropRevs = revIdx;
        }
        if (g == 0 && dropRevs == 0) {
            return isEmpty();
        }
        // Keep g's header, its revisions from revIdx on and every later generation; the copy is
        // exact-sized, so compaction also gives back the spare capacity of keys it touches.
        int end = used();
        int tail = g + HEADER + 2 * dropRevs;
        long[] kept = new long[HEADER + end - tail];
        System.arraycopy(a, g, kept, 0, HEADER);
        kept[COUNT] -= dropRevs;
        System.arraycopy(a, tail, kept, HEADER, end - tail);
        last = last == g ? 0 : last - g - 2 * dropRevs; // later generations move by what was dropped
        a = kept;
        return isEmpty();
    }

    /** Adds the revisions a compaction at {@code atRev} would keep, without tombstones. */
    synchronized void keep(long atRev, Set<Revision> available) {
        if (isEmpty()) {
            return;
        }
        int g = compactionGeneration(atRev);
        int revIdx = newestAtOrBelow(g, atRev);
        if (revIdx < 0) {
            return;
        }
        boolean isTombstone = revIdx == a[g + COUNT] - 1 && g != last;
        if (!isTombstone) {
            available.add(revAt(g, revIdx));
        }
    }

    /** First generation whose tombstone is not below atRev (or the last generation). */
    private int compactionGeneration(long atRev) {
        int g = 0;
        while (g < last && mainAt(g, (int) a[g + COUNT] - 1) < atRev) {
            g = next(g);
        }
        return g;
    }

    synchronized boolean isEmpty() {
        return last == 0 && a[COUNT] == 0;
    }

    /** True if the key has a live version now (the writer's view: no revision is above its latest). */
    synchronized boolean isLive() {
        return a[last + COUNT] != 0;
    }

    /**
     * Writes a point to roll back to into {@code to[at .. at + MARK_LONGS)}: the last generation's
     * offset and header. Flat, because a write transaction keeps one per key it touches.
     */
    synchronized void mark(long[] to, int at) {
        to[at] = last;
        System.arraycopy(a, last, to, at + 1, HEADER);
    }

    /** Undoes every put and tombstone made since the mark at {@code from[at]}: they only appended after it. */
    synchronized void rollback(long[] from, int at) {
        last = (int) from[at];
        System.arraycopy(from, at + 1, a, last, HEADER);
    }

    /** Bytes of the packed array (header and padding included, compressed oops), for tests. */
    synchronized long packedBytes() {
        return 16L + 8L * a.length;
    }

    /** The layout as text, e.g. {@code [v2 c2_0 {2_0 4_0}] [v0 c0_0 {}]}, for tests and debugging. */
    synchronized String packedLayout() {
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g <= last; g = next(g)) {
            sb.append(g == 0 ? "" : " ").append("[v").append(a[g + VERSION]).append(" c").append(a[g + CREATED_MAIN])
                    .append('_').append(a[g + CREATED_SUB]).append(" {");
            for (int i = 0; i < a[g + COUNT]; i++) {
                sb.append(i == 0 ? "" : " ").append(revAt(g, i));
            }
            sb.append("}]");
        }
        return sb.toString();
    }

    private Revision modified() {
        int g = last;
        if (a[g + COUNT] == 0) {
            if (g == 0) {
                return new Revision(0, 0);
            }
            g = previous(g);
        }
        return revAt(g, (int) a[g + COUNT] - 1);
    }

    private boolean greaterThanModified(long main, long sub) {
        int g = last;
        if (a[g + COUNT] == 0) {
            if (g == 0) {
                return main > 0 || sub > 0;
            }
            g = previous(g);
        }
        int i = g + HEADER + 2 * ((int) a[g + COUNT] - 1);
        return main > a[i] || (main == a[i] && sub > a[i + 1]);
    }

    private int previous(int g) {
        int p = 0;
        while (next(p) != g) {
            p = next(p);
        }
        return p;
    }

    private int next(int g) {
        return g + HEADER + 2 * (int) a[g + COUNT];
    }

    private int used() {
        return next(last);
    }

    private long mainAt(int g, int i) {
        return a[g + HEADER + 2 * i];
    }

    private Revision revAt(int g, int i) {
        int at = g + HEADER + 2 * i;
        return new Revision(a[at], a[at + 1]);
    }

    /** Index of the newest revision of generation {@code g} with main <= atRev, or -1. */
    private int newestAtOrBelow(int g, long atRev) {
        for (int i = (int) a[g + COUNT] - 1; i >= 0; i--) {
            if (mainAt(g, i) <= atRev) {
                return i;
            }
        }
        return -1;
    }

    private void setCreated(Revision created) {
        a[last + CREATED_MAIN] = created.main();
        a[last + CREATED_SUB] = created.sub();
    }

    private void append(Revision rev) {
        int at = used();
        ensureCapacity(at + 2);
        a[at] = rev.main();
        a[at + 1] = rev.sub();
        a[last + COUNT]++;
    }

    private void newGeneration() {
        int at = used();
        ensureCapacity(at + HEADER);
        Arrays.fill(a, at, at + HEADER, 0L); // a rollback may have left old values past the end
        last = at;
    }

    private void ensureCapacity(int needed) {
        if (needed > a.length) {
            a = Arrays.copyOf(a, Math.max(needed, a.length + (a.length >> 1)));
        }
    }
}
