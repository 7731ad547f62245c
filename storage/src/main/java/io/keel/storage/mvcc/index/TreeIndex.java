package io.keel.storage.mvcc.index;

import io.keel.storage.mvcc.KeyRange;
import io.keel.storage.mvcc.Revision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The in-memory key index: key to {@link KeyIndex}, ordered as unsigned bytes (etcd's
 * treeIndex). One writer (the applier thread) adds, compacts and rolls back; any number of
 * readers walk it concurrently. Readers take no store-wide lock: the map is a concurrent skip
 * list and each key's revisions are guarded by that key's monitor, so a long range never holds up
 * a put. A reader at revision {@code r} only looks at revisions {@code <= r}, which the writer
 * never changes except by compaction, which the store fences with its compact revision.
 */
public final class TreeIndex {
    /** Unsigned byte order, etcd's key order; one instance, so a bulk build's map has the same comparator. */
    static final Comparator<byte[]> KEY_ORDER = Arrays::compareUnsigned;

    private final ConcurrentSkipListMap<byte[], KeyIndex> keys;

    public TreeIndex() {
        this.keys = new ConcurrentSkipListMap<>(KEY_ORDER);
    }

    private TreeIndex(ConcurrentSkipListMap<byte[], KeyIndex> keys) {
        this.keys = keys;
    }

    /** From keys already in {@link #KEY_ORDER}: the skip list's copy constructor builds it in linear time. */
    static TreeIndex fromSorted(SortedMap<byte[], KeyIndex> sorted) {
        return new TreeIndex(new ConcurrentSkipListMap<>(sorted));
    }

    /** Records a put; {@code undo} (nullable) remembers how to take it back. */
    public void put(byte[] key, Revision rev, UndoLog undo) {
        KeyIndex ki = keys.get(key);
        boolean created = ki == null;
        if (created) {
            ki = new KeyIndex(key);
        }
        if (undo != null) {
            undo.remember(ki, created);
        }
        if (created) {
            keys.put(key, ki);
        }
        ki.put(rev);
    }

    /**
     * Records a delete of a key {@link #liveNow} listed, without looking it up again; false (and
     * no change) if it has no live version.
     */
    public boolean tombstone(KeyIndex ki, Revision rev, UndoLog undo) {
        if (undo != null) {
            undo.remember(ki, false);
        }
        return ki.tombstone(rev);
    }

    /**
     * The keys of {@code range} with a live version now, in key order: what a delete of the range
     * tombstones (etcd's deleteRange takes them from its index the same way). The writer's view:
     * applier thread only, where no revision is above the newest.
     */
    public List<KeyIndex> liveNow(KeyRange range) {
        List<KeyIndex> live = new ArrayList<>();
        for (KeyIndex ki : visit(range)) {
            if (ki.isLive()) {
                live.add(ki);
            }
        }
        return live;
    }

    /** Rebuild from a stored record, in revision order. */
    public void restore(byte[] key, Revision rev, Revision created, long version, boolean tombstone) {
        KeyIndex ki = keys.computeIfAbsent(key, KeyIndex::new);
        if (tombstone) {
            ki.restoreTombstone(rev);
        } else {
            ki.restore(created, rev, version);
        }
    }

    public IndexEntry get(byte[] key, long atRev) {
        KeyIndex ki = keys.get(key);
        return ki == null ? null : ki.get(atRev);
    }

    /**
     * The live entries of {@code range} at {@code atRev} in key order: at most {@code limit} of
     * them ({@code limit <= 0}: all) in the result, while {@code total} counts all of them.
     */
    public Revisions revisions(KeyRange range, long atRev, long limit) {
        List<IndexEntry> entries = new ArrayList<>();
        long total = 0;
        for (KeyIndex ki : visit(range)) {
            IndexEntry e = ki.get(atRev);
            if (e != null) {
                if (limit <= 0 || entries.size() < limit) {
                    entries.add(e);
                }
                total++;
            }
        }
        return new Revisions(entries, total);
    }

    public long count(KeyRange range, long atRev) {
        long total = 0;
        for (KeyIndex ki : visit(range)) {
            if (ki.get(atRev) != null) {
                total++;
            }
        }
        return total;
    }

    private Collection<KeyIndex> visit(KeyRange range) {
        if (range.isSingleKey()) {
            KeyIndex ki = keys.get(range.key());
            return ki == null ? List.of() : List.of(ki);
        }
        if (range.isUnbounded()) {
            return keys.tailMap(range.key(), true).values();
        }
        if (Arrays.compareUnsigned(range.key(), range.rangeEnd()) >= 0) {
            return List.of();
        }
        return keys.subMap(range.key(), true, range.rangeEnd(), false).values();
    }

    /**
     * Compacts every key at {@code atRev} and returns the revisions to keep in the backend.
     * Applier thread only.
     */
    public Set<Revision> compact(long atRev) {
        Set<Revision> available = new HashSet<>();
        for (Map.Entry<byte[], KeyIndex> e : keys.entrySet()) {
            if (e.getValue().compact(atRev, available)) {
                keys.remove(e.getKey(), e.getValue());
            }
        }
        return available;
    }

    /** The revisions a compaction at {@code atRev} would keep, tombstones excluded (for HashKV). */
    public Set<Revision> keep(long atRev) {
        Set<Revision> available = new HashSet<>();
        for (KeyIndex ki : keys.values()) {
            ki.keep(atRev, available);
        }
        return available;
    }

    /** Keys with at least one revision in the index (live or not), for tests and metrics. */
    public int size() {
        return keys.size();
    }

    void removeIfSame(KeyIndex ki) {
        keys.remove(ki.key(), ki);
    }

    /** A page of index entries and the total count. Immutable. */
    public record Revisions(List<IndexEntry> entries, long total) {
    }
}
