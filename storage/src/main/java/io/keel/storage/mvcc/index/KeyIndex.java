package io.keel.storage.mvcc.index;

import io.keel.storage.mvcc.Revision;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The revisions of one key, grouped in generations (etcd's keyIndex). Written by the applier
 * thread (puts, tombstones, compaction, rollback), read by any thread: every method holds this
 * object's monitor, briefly and without I/O. Invariant: {@code generations} is never empty and
 * only its last element may be empty; revisions increase strictly.
 */
public final class KeyIndex {
    private final byte[] key;
    private Revision modified = new Revision(0, 0);
    private final List<Generation> generations = new ArrayList<>(1);

    KeyIndex(byte[] key) {
        this.key = key;
        generations.add(new Generation());
    }

    public byte[] key() {
        return key;
    }

    synchronized void put(Revision rev) {
        if (!rev.greaterThan(modified)) {
            throw new IllegalStateException("put at " + rev + " not above " + modified);
        }
        Generation g = lastGeneration();
        if (g.isEmpty()) {
            g.created = rev;
        }
        g.revs.add(rev);
        g.version++;
        modified = rev;
    }

    /** Ends the current generation at {@code rev}; false if the key has no live version. */
    synchronized boolean tombstone(Revision rev) {
        if (lastGeneration().isEmpty()) {
            return false;
        }
        put(rev);
        generations.add(new Generation());
        return true;
    }

    /** Rebuilds from a stored put whose earlier revisions may be compacted away. */
    synchronized void restore(Revision created, Revision rev, long version) {
        Generation g = lastGeneration();
        if (g.isEmpty()) {
            g.created = created;
        }
        g.revs.add(rev);
        g.version = version;
        modified = rev;
    }

    /** Rebuilds from a stored tombstone. */
    synchronized void restoreTombstone(Revision rev) {
        Generation g = lastGeneration();
        if (g.isEmpty()) {
            g.created = rev;
            g.version = 1;
            g.revs.add(rev);
        } else {
            g.revs.add(rev);
            g.version++;
        }
        modified = rev;
        generations.add(new Generation());
    }

    /** The live version at {@code atRev}, or null if the key did not exist then. */
    synchronized IndexEntry get(long atRev) {
        Generation g = findGeneration(atRev);
        if (g == null) {
            return null;
        }
        int n = g.newestAtOrBelow(atRev);
        if (n < 0) {
            return null;
        }
        return new IndexEntry(key, g.revs.get(n), g.created, g.version - (g.revs.size() - n - 1));
    }

    private Generation findGeneration(long atRev) {
        int last = generations.size() - 1;
        for (int i = last; i >= 0; i--) {
            Generation g = generations.get(i);
            if (g.isEmpty()) {
                continue;
            }
            if (i != last && g.last().main() <= atRev) {
                return null; // tombstoned at or before atRev
            }
            if (g.revs.get(0).main() <= atRev) {
                return g;
            }
        }
        return null;
    }

    /**
     * Drops revisions no longer needed at {@code atRev}, adding the survivors at or below it to
     * {@code available}. Returns true if nothing remains (the caller removes the key).
     */
    synchronized boolean compact(long atRev, Set<Revision> available) {
        int genIdx = compactionGeneration(atRev);
        Generation g = generations.get(genIdx);
        int revIdx = g.newestAtOrBelow(atRev);
        if (revIdx >= 0) {
            available.add(g.revs.get(revIdx));
            g.revs.subList(0, revIdx).clear();
        }
        generations.subList(0, genIdx).clear();
        return isEmpty();
    }

    /** Adds the revisions a compaction at {@code atRev} would keep, without tombstones. */
    synchronized void keep(long atRev, Set<Revision> available) {
        if (isEmpty()) {
            return;
        }
        int genIdx = compactionGeneration(atRev);
        Generation g = generations.get(genIdx);
        int revIdx = g.newestAtOrBelow(atRev);
        if (revIdx < 0) {
            return;
        }
        boolean isTombstone = revIdx == g.revs.size() - 1 && genIdx != generations.size() - 1;
        if (!isTombstone) {
            available.add(g.revs.get(revIdx));
        }
    }

    /** First generation whose tombstone is not below atRev (or the last generation). */
    private int compactionGeneration(long atRev) {
        int genIdx = 0;
        while (genIdx < generations.size() - 1 && generations.get(genIdx).last().main() < atRev) {
            genIdx++;
        }
        return genIdx;
    }

    synchronized boolean isEmpty() {
        return generations.size() == 1 && generations.get(0).isEmpty();
    }

    synchronized Mark mark() {
        Generation g = lastGeneration();
        return new Mark(generations.size(), g.revs.size(), g.version, g.created, modified);
    }

    /** Undoes every put and tombstone made since {@code mark}. */
    synchronized void rollback(Mark mark) {
        generations.subList(mark.generations, generations.size()).clear();
        Generation g = lastGeneration();
        g.revs.subList(mark.lastGenerationRevs, g.revs.size()).clear();
        g.version = mark.lastGenerationVersion;
        g.created = mark.lastGenerationCreated;
        modified = mark.modified;
    }

    private Generation lastGeneration() {
        return generations.get(generations.size() - 1);
    }

    /** A point to roll back to; immutable. */
    record Mark(int generations, int lastGenerationRevs, long lastGenerationVersion, Revision lastGenerationCreated,
            Revision modified) {
    }
}
