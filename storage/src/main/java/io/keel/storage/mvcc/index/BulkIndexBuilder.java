package io.keel.storage.mvcc.index;

import io.keel.storage.mvcc.Revision;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Builds a {@link TreeIndex} from the stored revisions at open, in bulk: the records arrive in
 * revision order (the backend's key order), so each key's {@link KeyIndex} is found through a hash
 * map (one hash lookup per record instead of a skip-list descent with a byte-array comparison per
 * level), and the skip list is built once, from the keys sorted, in linear time. The result equals
 * what {@link TreeIndex#restore} called record by record builds.
 *
 * <p>Owner: the store's open; single use; not thread-safe.
 */
public final class BulkIndexBuilder {
    /** Most records the maps are sized for up front; past it they grow as usual. */
    static final long MAX_PRESIZE = 1 << 24;
    private final HashMap<Key, KeyIndex> keys;
    /** Keys in the order first seen: keys written in order stay in order, and the sort is then linear. */
    private final ArrayList<KeyIndex> firstSeen;
    private boolean built;

    public BulkIndexBuilder() {
        this(0);
    }

    /**
     * @param expectedRecords how many records will be added (the backend knows): the map is sized
     *     for that many keys at once, since rehashing it as it grows took a sixth of an open
     */
    public BulkIndexBuilder(long expectedRecords) {
        int n = (int) Math.min(Math.max(expectedRecords, 0), MAX_PRESIZE);
        this.keys = new HashMap<>((int) (n / 0.75f) + 1);
        this.firstSeen = new ArrayList<>(n);
    }

    /** Adds a stored record; records must come in revision order. */
    public void add(byte[] key, Revision rev, Revision created, long version, boolean tombstone) {
        KeyIndex ki = keys.computeIfAbsent(new Key(key), k -> {
            KeyIndex created0 = new KeyIndex(k.bytes);
            firstSeen.add(created0);
            return created0;
        });
        if (tombstone) {
            ki.restoreTombstone(rev);
        } else {
            ki.restore(created, rev, version);
        }
    }

    /** The index of every record added; call once. */
    public TreeIndex build() {
        if (built) {
            throw new IllegalStateException("already built");
        }
        built = true;
        KeyIndex[] sorted = firstSeen.toArray(new KeyIndex[0]);
        keys.clear();
        firstSeen.clear();
        // TimSort: linear on the runs of keys written in ascending order, n log n at worst.
        Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
        return TreeIndex.fromSorted(new SortedView(sorted));
    }

    /** A byte[] with value equality, for the hash map; the hash is computed once. */
    private static final class Key {
        final byte[] bytes;
        final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * The sorted keys as the {@link SortedMap} that {@code ConcurrentSkipListMap}'s copy constructor
     * reads in one linear pass (it only asks for the comparator and iterates the entries).
     */
    private static final class SortedView extends AbstractMap<byte[], KeyIndex> implements SortedMap<byte[], KeyIndex> {
        private final KeyIndex[] sorted;

        SortedView(KeyIndex[] sorted) {
            this.sorted = sorted;
        }

        @Override
        public Comparator<? super byte[]> comparator() {
            return TreeIndex.KEY_ORDER;
        }

        @Override
        public Set<Map.Entry<byte[], KeyIndex>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<byte[], KeyIndex>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < sorted.length;
                        }

                        @Override
                        public Map.Entry<byte[], KeyIndex> next() {
                            KeyIndex ki = sorted[next++];
                            return new AbstractMap.SimpleImmutableEntry<>(ki.key(), ki);
                        }
                    };
                }

                @Override
                public int size() {
                    return sorted.length;
                }
            };
        }

        @Override
        public SortedMap<byte[], KeyIndex> subMap(byte[] fromKey, byte[] toKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedMap<byte[], KeyIndex> headMap(byte[] toKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedMap<byte[], KeyIndex> tailMap(byte[] fromKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] firstKey() {
            return sorted[0].key();
        }

        @Override
        public byte[] lastKey() {
            return sorted[sorted.length - 1].key();
        }
    }
}
