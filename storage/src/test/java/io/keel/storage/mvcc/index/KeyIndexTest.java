package io.keel.storage.mvcc.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.storage.mvcc.Revision;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyIndexTest {
    private KeyIndex ki;

    /** Generations: {2, 4, tombstone 6}, {8, 10, tombstone 12}, {14, 16}. */
    @BeforeEach
    void build() {
        ki = new KeyIndex(new byte[] {'k'});
        ki.put(rev(2));
        ki.put(rev(4));
        ki.tombstone(rev(6));
        ki.put(rev(8));
        ki.put(rev(10));
        ki.tombstone(rev(12));
        ki.put(rev(14));
        ki.put(rev(16));
    }

    private static Revision rev(long main) {
        return new Revision(main, 0);
    }

    @Test
    void getFindsTheNewestRevisionAtOrBelowWithItsVersion() {
        assertThat(ki.get(1)).isNull();
        assertThat(ki.get(5).modified()).isEqualTo(rev(4));
        assertThat(ki.get(5).version()).isEqualTo(2);
        assertThat(ki.get(6)).isNull();
        assertThat(ki.get(7)).isNull();
        assertThat(ki.get(9).created()).isEqualTo(rev(8));
        assertThat(ki.get(12)).isNull();
        assertThat(ki.get(100).modified()).isEqualTo(rev(16));
        assertThat(ki.get(100).version()).isEqualTo(2);
    }

    @Test
    void compactKeepsTheNewestRevisionAtOrBelow() {
        Set<Revision> kept = new HashSet<>();
        assertThat(ki.compact(5, kept)).isFalse();
        assertThat(kept).containsExactly(rev(4));
        assertThat(ki.get(5).modified()).isEqualTo(rev(4));
        assertThat(ki.get(5).version()).isEqualTo(2);
    }

    @Test
    void compactAtATombstoneKeepsItUntilALaterCompaction() {
        Set<Revision> kept = new HashSet<>();
        ki.compact(6, kept);
        assertThat(kept).containsExactly(rev(6));
        assertThat(ki.get(6)).isNull();
        kept.clear();
        ki.compact(7, kept);
        assertThat(kept).isEmpty();
        assertThat(ki.get(9).modified()).isEqualTo(rev(8));
    }

    @Test
    void compactPastEveryTombstoneEmptiesADeletedKey() {
        KeyIndex deleted = new KeyIndex(new byte[] {'d'});
        deleted.put(rev(2));
        deleted.tombstone(rev(3));
        assertThat(deleted.compact(3, new HashSet<>())).isFalse();
        assertThat(deleted.compact(4, new HashSet<>())).isTrue();
    }

    @Test
    void keepExcludesTombstonesAndDoesNotChangeTheIndex() {
        Set<Revision> kept = new HashSet<>();
        ki.keep(6, kept);
        assertThat(kept).isEmpty();
        ki.keep(11, kept);
        assertThat(kept).containsExactly(rev(10));
        assertThat(ki.get(3).modified()).isEqualTo(rev(2));
    }

    @Test
    void rollbackUndoesPutsAndTombstones() {
        long[] mark = new long[KeyIndex.MARK_LONGS];
        ki.mark(mark, 0);
        ki.put(rev(18));
        ki.tombstone(new Revision(18, 1));
        ki.put(new Revision(18, 2));
        ki.rollback(mark, 0);
        assertThat(ki.get(100).modified()).isEqualTo(rev(16));
        assertThat(ki.get(100).version()).isEqualTo(2);
        ki.put(rev(18));
        assertThat(ki.get(18).version()).isEqualTo(3);
    }
}
