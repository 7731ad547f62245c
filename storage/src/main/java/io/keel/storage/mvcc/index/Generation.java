package io.keel.storage.mvcc.index;

import io.keel.storage.mvcc.Revision;
import java.util.ArrayList;
import java.util.List;

/**
 * One life of a key, from its creating put to its tombstone (the last revision of every
 * generation but the newest). Owned by its {@link KeyIndex}, whose monitor guards it; not
 * thread-safe on its own.
 */
final class Generation {
    /** Puts in this generation, including any that compaction dropped from {@code revs}. */
    long version;
    Revision created;
    final List<Revision> revs;

    Generation() {
        this.revs = new ArrayList<>(2);
    }

    Generation(long version, Revision created, List<Revision> revs) {
        this.version = version;
        this.created = created;
        this.revs = new ArrayList<>(revs);
    }

    boolean isEmpty() {
        return revs.isEmpty();
    }

    Revision last() {
        return revs.get(revs.size() - 1);
    }

    /** Index of the newest revision with main <= atRev, or -1. */
    int newestAtOrBelow(long atRev) {
        for (int i = revs.size() - 1; i >= 0; i--) {
            if (revs.get(i).main() <= atRev) {
                return i;
            }
        }
        return -1;
    }
}
