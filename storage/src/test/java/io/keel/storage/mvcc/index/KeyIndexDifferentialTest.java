package io.keel.storage.mvcc.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.storage.mvcc.Revision;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The packed {@link KeyIndex} against {@link ReferenceKeyIndex} (the object-per-revision index it
 * replaced): seeded random histories of puts, tombstones (several in one transaction too),
 * compactions, aborted transactions and restores; after every step the two must hold the same
 * generations and answer every get and keep alike.
 */
class KeyIndexDifferentialTest {
    private static final byte[] KEY = {'k'};

    @Test
    void writesCompactionsAndRollbacksMatchTheObjectIndex() {
        for (long seed = 1; seed <= 150; seed++) {
            Random rnd = new Random(seed);
            KeyIndex ki = new KeyIndex(KEY);
            ReferenceKeyIndex ref = new ReferenceKeyIndex(KEY);
            long main = 1;
            long compacted = 0;
            for (int step = 0; step < 120; step++) {
                int op = rnd.nextInt(10);
                if (op < 5) {
                    main += 1 + rnd.nextInt(2);
                    Revision rev = new Revision(main, 0);
                    ki.put(rev);
                    ref.put(rev);
                } else if (op < 7) {
                    main += 1 + rnd.nextInt(2);
                    Revision rev = new Revision(main, 0);
                    assertThat(ki.tombstone(rev)).as("seed %d step %d", seed, step).isEqualTo(ref.tombstone(rev));
                } else if (op < 8) {
                    compacted = compacted + rnd.nextInt((int) (main - compacted) + 2);
                    Set<Revision> packed = new HashSet<>();
                    Set<Revision> objects = new HashSet<>();
                    boolean empty = ki.compact(compacted, packed);
                    assertThat(empty).as("seed %d step %d", seed, step).isEqualTo(ref.compact(compacted, objects));
                    assertThat(packed).isEqualTo(objects);
                    if (empty) { // the tree drops the key; a later write starts a new one
                        ki = new KeyIndex(KEY);
                        ref = new ReferenceKeyIndex(KEY);
                    }
                } else {
                    // One write transaction on the key (puts and deletes at one main revision), then aborted or not.
                    long[] mark = new long[2 + KeyIndex.MARK_LONGS]; // at an offset, as in an undo log's shared array
                    ki.mark(mark, 2);
                    ReferenceKeyIndex before = ref.copy();
                    main++;
                    int changes = 1 + rnd.nextInt(4);
                    for (int sub = 0; sub < changes; sub++) {
                        Revision rev = new Revision(main, sub);
                        if (rnd.nextBoolean()) {
                            ki.put(rev);
                            ref.put(rev);
                        } else {
                            assertThat(ki.tombstone(rev)).isEqualTo(ref.tombstone(rev));
                        }
                    }
                    if (rnd.nextBoolean()) {
                        ki.rollback(mark, 2);
                        ref = before;
                    }
                }
                assertSame(ki, ref, main, compacted, "seed " + seed + " step " + step);
            }
        }
    }

    @Test
    void restoredHistoriesMatchTheObjectIndex() {
        for (long seed = 1; seed <= 100; seed++) {
            Random rnd = new Random(seed);
            KeyIndex ki = new KeyIndex(KEY);
            ReferenceKeyIndex ref = new ReferenceKeyIndex(KEY);
            long main = 1 + rnd.nextInt(5);
            Revision created = null;
            long version = 0;
            for (int step = 0; step < 60; step++) {
                main += 1 + rnd.nextInt(3);
                Revision rev = new Revision(main, rnd.nextInt(2));
                if (created != null && rnd.nextInt(4) == 0) {
                    ki.restoreTombstone(rev);
                    ref.restoreTombstone(rev);
                    created = null;
                    version = 0;
                } else {
                    // A compacted store may start a generation at a later put: created below rev, version above 1.
                    if (created == null) {
                        created = rnd.nextBoolean() ? rev : new Revision(main - 1, 0);
                        version = rev.equals(created) ? 0 : rnd.nextInt(3);
                    }
                    version++;
                    ki.restore(created, rev, version);
                    ref.restore(created, rev, version);
                }
                assertSame(ki, ref, main, 0, "seed " + seed + " step " + step);
            }
        }
    }

    @Test
    void aPutMustBeAboveTheModifiedRevisionEvenAfterATombstone() {
        KeyIndex ki = new KeyIndex(KEY);
        assertThatThrownBy(() -> ki.put(new Revision(0, 0))).isInstanceOf(IllegalStateException.class);
        ki.put(new Revision(3, 1));
        ki.tombstone(new Revision(4, 0));
        assertThatThrownBy(() -> ki.put(new Revision(4, 0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not above 4_0");
        ki.put(new Revision(4, 1));
        assertThat(ki.packedLayout()).isEqualTo("[v2 c3_1 {3_1 4_0}] [v1 c4_1 {4_1}]");
    }

    private static void assertSame(KeyIndex ki, ReferenceKeyIndex ref, long main, long compacted, String where) {
        assertThat(ki.packedLayout()).as(where).isEqualTo(ref.layout());
        assertThat(ki.isEmpty()).as(where).isEqualTo(ref.isEmpty());
        for (long at = 0; at <= main + 1; at++) {
            assertThat(ki.get(at)).as(where + " get(" + at + ")").isEqualTo(ref.get(at));
            if (at >= compacted) {
                Set<Revision> packed = new HashSet<>();
                Set<Revision> objects = new HashSet<>();
                ki.keep(at, packed);
                ref.keep(at, objects);
                assertThat(packed).as(where + " keep(" + at + ")").isEqualTo(objects);
            }
        }
    }
}
