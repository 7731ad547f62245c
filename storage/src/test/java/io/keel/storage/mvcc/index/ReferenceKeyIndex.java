package io.keel.storage.mvcc.index;

import io.keel.storage.mvcc.Revision;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The key index as it was before it was packed into one array: a list of generations, each a
 * list of {@link Revision} objects, as etcd's keyIndex. The model {@link KeyIndexDifferentialTest}
 * compares the packed {@link KeyIndex} with. Test-only; not thread-safe.
 */
final class ReferenceKeyIndex {
    private static final class Gen {
        long version;
        Revision created;
        final List<Revision> revs = new ArrayList<>();

        Revision last() {
            return revs.get(revs.size() - 1);
        }

        int newestAtOrBelow(long atRev) {
            for (int i = revs.size() - 1; i >= 0; i--) {
                if (revs.get(i).main() <= atRev) {
                    return i;
                }
            }
            return -1;
        }
    }

    private final byte[] key;
    private Revision modified = new Revision(0, 0);
    private final List<Gen> generations = new ArrayList<>(List.of(new Gen()));

    ReferenceKeyIndex(byte[] key) {
        this.key = key;
    }

    Revision modified() {
        return modified;
    }

    void put(Revision rev) {
        if (!rev.greaterThan(modified)) {
            throw new IllegalStateException("put at " + rev + " not above " + modified);
        }
        Gen g = lastGen();
        if (g.revs.isEmpty()) {
            g.created = rev;
        }
        g.revs.add(rev);
        g.version++;
        modified = rev;
    }

    boolean tombstone(Revision rev) {
        if (lastGen().revs.isEmpty()) {
            return false;
        }
        put(rev);
        generations.add(new Gen());
        return true;
    }

    void restore(Revision created, Revision rev, long version) {
        Gen g = lastGen();
        if (g.revs.isEmpty()) {
            g.created = created;
        }
        g.revs.add(rev);
        g.version = version;
        modified = rev;
    }

    void restoreTombstone(Revision rev) {
        Gen g = lastGen();
        if (g.revs.isEmpty()) {
            g.created = rev;
            g.version = 1;
        } else {
            g.version++;
        }
        g.revs.add(rev);
        modified = rev;
        generations.add(new Gen());
    }

    IndexEntry get(long atRev) {
        int last = generations.size() - 1;
        for (int i = last; i >= 0; i--) {
            Gen g = generations.get(i);
            if (g.revs.isEmpty()) {
                continue;
            }
            if (i != last && g.last().main() <= atRev) {
                return null;
            }
            if (g.revs.get(0).main() <= atRev) {
                int n = g.newestAtOrBelow(atRev);
                return new IndexEntry(key, g.revs.get(n), g.created, g.version - (g.revs.size() - n - 1));
            }
        }
        return null;
    }

    boolean compact(long atRev, Set<Revision> available) {
        int genIdx = compactionGeneration(atRev);
        Gen g = generations.get(genIdx);
        int revIdx = g.newestAtOrBelow(atRev);
        if (revIdx >= 0) {
            available.add(g.revs.get(revIdx));
            g.revs.subList(0, revIdx).clear();
        }
        generations.subList(0, genIdx).clear();
        return isEmpty();
    }

    void keep(long atRev, Set<Revision> available) {
        if (isEmpty()) {
            return;
        }
        int genIdx = compactionGeneration(atRev);
        Gen g = generations.get(genIdx);
        int revIdx = g.newestAtOrBelow(atRev);
        if (revIdx < 0) {
            return;
        }
        if (!(revIdx == g.revs.size() - 1 && genIdx != generations.size() - 1)) {
            available.add(g.revs.get(revIdx));
        }
    }

    private int compactionGeneration(long atRev) {
        int genIdx = 0;
        while (genIdx < generations.size() - 1 && generations.get(genIdx).last().main() < atRev) {
            genIdx++;
        }
        return genIdx;
    }

    private Gen lastGen() {
        return generations.get(generations.size() - 1);
    }

    boolean isEmpty() {
        return generations.size() == 1 && generations.get(0).revs.isEmpty();
    }

    /** A deep copy, the model's way to roll back. */
    ReferenceKeyIndex copy() {
        ReferenceKeyIndex c = new ReferenceKeyIndex(key);
        c.modified = modified;
        c.generations.clear();
        for (Gen g : generations) {
            Gen n = new Gen();
            n.version = g.version;
            n.created = g.created;
            n.revs.addAll(g.revs);
            c.generations.add(n);
        }
        return c;
    }

    /** The same text as {@link KeyIndex#packedLayout()}, for comparing whole states. */
    String layout() {
        StringBuilder sb = new StringBuilder();
        for (Gen g : generations) {
            sb.append(sb.length() == 0 ? "" : " ").append("[v").append(g.version).append(" c")
                    .append(g.created == null ? "0_0" : g.created.toString()).append(" {");
            for (int i = 0; i < g.revs.size(); i++) {
                sb.append(i == 0 ? "" : " ").append(g.revs.get(i));
            }
            sb.append("}]");
        }
        return sb.toString();
    }
}
