package io.keel.storage.raftlog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * What each Chronicle cycle file holds, as far as compaction cares: the highest entry index
 * written to it, and where the latest snapshot markers are. Decides which whole files a snapshot
 * covers.
 *
 * <p>Owned by {@link DurableRaftStorage}; not thread-safe.
 */
final class CycleLedger {
    private final TreeMap<Integer, Long> maxEntryIndex = new TreeMap<>();
    private int latestSnapshotCycle = Integer.MIN_VALUE;
    private int latestInstallCycle = Integer.MIN_VALUE;

    void noteEntry(int cycle, long index) {
        maxEntryIndex.merge(cycle, index, Math::max);
    }

    void noteSnapshot(int cycle, boolean replacesLog) {
        latestSnapshotCycle = Math.max(latestSnapshotCycle, cycle);
        if (replacesLog) {
            latestInstallCycle = Math.max(latestInstallCycle, cycle);
        }
    }

    /**
     * The oldest cycles, in order, that may be deleted: each lies before the cycle holding the
     * latest snapshot marker (recovery needs that marker), and every entry in it is at or below
     * {@code coveredIndex} or was replaced by an installed snapshot written in a later cycle.
     * Stops at the first cycle that must stay, so only a prefix of the log is ever deleted.
     */
    List<Integer> deletable(Set<Integer> cyclesAscending, long coveredIndex) {
        List<Integer> out = new ArrayList<>();
        for (int c : cyclesAscending) {
            boolean covered = c < latestInstallCycle || maxEntryIndex.getOrDefault(c, 0L) <= coveredIndex;
            if (c >= latestSnapshotCycle || !covered) {
                break;
            }
            out.add(c);
        }
        return out;
    }

    void forget(Collection<Integer> cycles) {
        cycles.forEach(maxEntryIndex::remove);
    }
}
