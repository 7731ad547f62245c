package io.keel.storage.mvcc.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.storage.mvcc.KeyRange;
import io.keel.storage.mvcc.Revision;
import io.keel.storage.mvcc.KeyValue;
import io.keel.storage.mvcc.backend.KeyValueCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The store's open builds its index in bulk; it must equal the one restored record by record. */
class BulkIndexBuilderTest {
    /** A stored record as the backend holds it, in revision order. */
    private record Stored(byte[] key, Revision rev, Revision created, long version, boolean tombstone) {
    }

    @Test
    void bulkIndexEqualsTheOneRestoredRecordByRecord() {
        for (long seed = 1; seed <= 5; seed++) {
            List<Stored> records = history(new SplittableRandom(seed), 300, 2_000);
            TreeIndex oneByOne = new TreeIndex();
            BulkIndexBuilder bulk = new BulkIndexBuilder();
            for (Stored s : records) {
                oneByOne.restore(s.key().clone(), s.rev(), s.created(), s.version(), s.tombstone());
                bulk.add(s.key().clone(), s.rev(), s.created(), s.version(), s.tombstone());
            }
            TreeIndex built = bulk.build();
            assertSameIndex(built, oneByOne, records.get(records.size() - 1).rev().main());
        }
    }

    @Test
    void bulkIndexStaysUsableForWritesAndCompaction() {
        List<Stored> records = history(new SplittableRandom(42), 50, 400);
        TreeIndex oneByOne = new TreeIndex();
        BulkIndexBuilder bulk = new BulkIndexBuilder();
        for (Stored s : records) {
            oneByOne.restore(s.key(), s.rev(), s.created(), s.version(), s.tombstone());
            bulk.add(s.key(), s.rev(), s.created(), s.version(), s.tombstone());
        }
        TreeIndex built = bulk.build();
        long next = records.get(records.size() - 1).rev().main() + 1;
        for (TreeIndex idx : List.of(built, oneByOne)) {
            idx.put(key(7), new Revision(next, 0), null);
            idx.put(new byte[] {(byte) 0xff, 1}, new Revision(next + 1, 0), null);
            KeyIndex deleted = idx.liveNow(new KeyRange(key(3), null)).get(0);
            assertThat(idx.tombstone(deleted, new Revision(next + 2, 0), null)).isTrue();
        }
        assertSameIndex(built, oneByOne, next + 2);
        assertThat(built.compact(next / 2)).isEqualTo(oneByOne.compact(next / 2));
        assertSameIndex(built, oneByOne, next + 2);
    }

    @Test
    void emptyBackendBuildsAnEmptyIndex() {
        TreeIndex built = new BulkIndexBuilder().build();
        assertThat(built.size()).isZero();
        assertThat(built.revisions(new KeyRange(new byte[] {0}, new byte[0]), 10, 0).total()).isZero();
    }

    @Test
    void indexFieldsDecodeAsTheFullRecordDoes() {
        KeyValue kv = new KeyValue("some/key".getBytes(), 12, 345, 7, new byte[256], 99);
        KeyValueCodec.IndexFields f = KeyValueCodec.decodeIndexFields(KeyValueCodec.encode(kv));
        assertThat(f.key()).isEqualTo(kv.key());
        assertThat(f.createRevision()).isEqualTo(12);
        assertThat(f.version()).isEqualTo(7);
        assertThat(f.lease()).isEqualTo(99);
        KeyValue tombstone = new KeyValue("gone".getBytes(), 0, 0, 0, new byte[0], 0);
        KeyValueCodec.IndexFields t = KeyValueCodec.decodeIndexFields(KeyValueCodec.encode(tombstone));
        assertThat(t.key()).isEqualTo(tombstone.key());
        assertThat(t.createRevision()).isZero();
    }

    /** Puts and deletes over {@code keys} keys (unsigned order matters: some keys start above 0x7f). */
    private static List<Stored> history(SplittableRandom rnd, int keys, int revisions) {
        List<Stored> out = new ArrayList<>();
        Map<Integer, long[]> live = new HashMap<>(); // key -> {created, version}
        for (long main = 2; main < revisions; main++) {
            int k = rnd.nextInt(keys);
            long[] state = live.get(k);
            if (state != null && rnd.nextInt(5) == 0) {
                out.add(new Stored(key(k), new Revision(main, 0), new Revision(0, 0), 0, true));
                live.remove(k);
            } else {
                if (state == null) {
                    state = new long[] {main, 0};
                    live.put(k, state);
                }
                state[1]++;
                out.add(new Stored(key(k), new Revision(main, 0), new Revision(state[0], 0), state[1], false));
            }
        }
        return out;
    }

    private static byte[] key(int k) {
        return new byte[] {(byte) (k * 37), (byte) k, 'k'};
    }

    private static void assertSameIndex(TreeIndex actual, TreeIndex expected, long lastRev) {
        assertThat(actual.size()).isEqualTo(expected.size());
        KeyRange all = new KeyRange(new byte[] {0}, new byte[0]);
        for (long rev = 1; rev <= lastRev; rev += Math.max(1, lastRev / 50)) {
            assertThat(describe(actual.revisions(all, rev, 0))).isEqualTo(describe(expected.revisions(all, rev, 0)));
        }
        assertThat(describe(actual.revisions(all, lastRev, 0))).isEqualTo(describe(expected.revisions(all, lastRev, 0)));
        assertThat(actual.keep(lastRev)).isEqualTo(expected.keep(lastRev));
    }

    private static List<String> describe(TreeIndex.Revisions r) {
        List<String> out = new ArrayList<>();
        out.add("total=" + r.total());
        for (IndexEntry e : r.entries()) {
            out.add(java.util.Arrays.toString(e.key()) + " mod=" + e.modified() + " created=" + e.created()
                    + " v=" + e.version());
        }
        return out;
    }
}
