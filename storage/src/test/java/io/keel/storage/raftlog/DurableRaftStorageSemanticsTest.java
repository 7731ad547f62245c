package io.keel.storage.raftlog;

import io.keel.raft.CompactedException;
import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.HardState;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;
import io.keel.raft.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cases etcd's MemoryStorage tests answer (term lookups, entries with size limits, first/last
 * index, compaction, snapshots, appends with conflicts), asked of the durable storage: the log is
 * {@code 3/3 (snapshot), 4/4, 5/5}.
 */
class DurableRaftStorageSemanticsTest {
    @TempDir
    Path dir;
    private DurableRaftStorage s;

    private DurableRaftStorage storage345() {
        s = DurableRaftStorage.open(TestLogs.config(dir, TestLogs.clock()));
        s.applySnapshot(new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1L, 2L, 3L), 3, 3), new byte[] {1}));
        s.save(new HardState(5, 1, 3), List.of(e(4, 4), e(5, 5)), true);
        return s;
    }

    private static Entry e(long term, long index) {
        return Entry.normal(term, index, new byte[0]);
    }

    @AfterEach
    void close() {
        if (s != null) {
            s.close();
        }
    }

    @Test
    void termIsAnsweredFromSnapshotIndexToLastIndexAndErrorsOutside() {
        storage345();
        assertThatThrownBy(() -> s.term(2)).isInstanceOf(CompactedException.class);
        assertThat(s.term(3)).isEqualTo(3);
        assertThat(s.term(4)).isEqualTo(4);
        assertThat(s.term(5)).isEqualTo(5);
        assertThatThrownBy(() -> s.term(6)).isInstanceOf(UnavailableException.class);
    }

    @Test
    void entriesHonourCompactionAvailabilityAndSizeLimitButReturnAtLeastOne() {
        storage345();
        s.save(null, List.of(e(6, 6)), true);
        long one = e(4, 4).sizeBytes();
        assertThatThrownBy(() -> s.entries(2, 6, Long.MAX_VALUE)).isInstanceOf(CompactedException.class);
        assertThatThrownBy(() -> s.entries(3, 4, Long.MAX_VALUE)).isInstanceOf(CompactedException.class);
        assertThatThrownBy(() -> s.entries(4, 8, Long.MAX_VALUE)).isInstanceOf(UnavailableException.class);
        assertThat(s.entries(4, 5, Long.MAX_VALUE)).containsExactly(e(4, 4));
        assertThat(s.entries(4, 6, Long.MAX_VALUE)).containsExactly(e(4, 4), e(5, 5));
        assertThat(s.entries(4, 7, Long.MAX_VALUE)).containsExactly(e(4, 4), e(5, 5), e(6, 6));
        assertThat(s.entries(4, 7, 0)).containsExactly(e(4, 4));
        assertThat(s.entries(4, 7, one + one)).containsExactly(e(4, 4), e(5, 5));
        assertThat(s.entries(4, 7, one + one + one / 2)).containsExactly(e(4, 4), e(5, 5));
        assertThat(s.entries(4, 7, 3 * one - 1)).containsExactly(e(4, 4), e(5, 5));
        assertThat(s.entries(4, 7, 3 * one)).containsExactly(e(4, 4), e(5, 5), e(6, 6));
        assertThat(s.entries(5, 5, Long.MAX_VALUE)).isEmpty();
        assertThatThrownBy(() -> s.entries(6, 5, Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firstAndLastIndexFollowAppendsAndCompaction() {
        storage345();
        assertThat(s.firstIndex()).isEqualTo(4);
        assertThat(s.lastIndex()).isEqualTo(5);
        s.save(null, List.of(e(5, 6)), true);
        assertThat(s.lastIndex()).isEqualTo(6);
        s.compact(4);
        assertThat(s.firstIndex()).isEqualTo(5);
        assertThat(s.term(4)).isEqualTo(4);
    }

    @Test
    void compactRejectsCompactedAndFutureIndexesAndKeepsTheTermOfTheNewOffset() {
        storage345();
        assertThatThrownBy(() -> s.compact(2)).isInstanceOf(CompactedException.class);
        assertThatThrownBy(() -> s.compact(3)).isInstanceOf(CompactedException.class);
        assertThatThrownBy(() -> s.compact(6)).isInstanceOf(IllegalArgumentException.class);
        s.compact(5);
        assertThat(s.firstIndex()).isEqualTo(6);
        assertThat(s.lastIndex()).isEqualTo(5);
        assertThat(s.term(5)).isEqualTo(5);
        assertThatThrownBy(() -> s.term(4)).isInstanceOf(CompactedException.class);
    }

    @Test
    void createSnapshotTakesTheTermOfItsIndexAndRejectsOldOrFutureIndexes() {
        storage345();
        ConfState cs = ConfState.ofVoters(1L, 2L, 3L);
        Snapshot snap = s.createSnapshot(4, cs, new byte[] {9});
        assertThat(snap.metadata()).isEqualTo(new SnapshotMetadata(cs, 4, 4));
        assertThat(s.snapshot()).isEqualTo(snap);
        assertThatThrownBy(() -> s.createSnapshot(4, cs, null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.createSnapshot(6, cs, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.firstIndex()).as("create does not compact").isEqualTo(4);
    }

    @Test
    void appendSkipsCoveredEntriesReplacesConflictsAndRejectsGaps() {
        storage345();
        s.save(null, List.of(e(3, 3), e(4, 4), e(5, 5)), true);
        assertThat(s.entries(4, 6, Long.MAX_VALUE)).containsExactly(e(4, 4), e(5, 5));
        s.save(null, List.of(e(3, 3), e(6, 4), e(6, 5)), true);
        assertThat(s.entries(4, 6, Long.MAX_VALUE)).containsExactly(e(6, 4), e(6, 5));
        s.save(null, List.of(e(3, 3), e(6, 4), e(6, 5), e(6, 6)), true);
        assertThat(s.lastIndex()).isEqualTo(6);
        s.save(null, List.of(e(2, 1), e(2, 2), e(3, 3)), true);
        assertThat(s.lastIndex()).as("entirely covered by the snapshot: ignored").isEqualTo(6);
        s.save(null, List.of(e(7, 5)), true);
        assertThat(s.entries(4, 6, Long.MAX_VALUE)).containsExactly(e(6, 4), e(7, 5));
        assertThat(s.lastIndex()).isEqualTo(5);
        assertThatThrownBy(() -> s.save(null, List.of(e(7, 7)), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing log entry");
    }

    @Test
    void applySnapshotReplacesTheLogAndRejectsOlderSnapshots() {
        storage345();
        ConfState cs = ConfState.ofVoters(1L, 2L);
        Snapshot newer = new Snapshot(new SnapshotMetadata(cs, 10, 6), new byte[] {7});
        s.applySnapshot(newer);
        assertThat(s.snapshot()).isEqualTo(newer);
        assertThat(s.firstIndex()).isEqualTo(11);
        assertThat(s.lastIndex()).isEqualTo(10);
        assertThat(s.term(10)).isEqualTo(6);
        assertThat(s.initialState().confState()).isEqualTo(cs);
        assertThatThrownBy(() -> s.applySnapshot(new Snapshot(new SnapshotMetadata(cs, 9, 6), null)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void truncationAtOrBelowTheCommitIndexIsRefused() {
        storage345();
        s.save(new HardState(5, 1, 4), List.of(), true);
        assertThatThrownBy(() -> s.save(null, List.of(e(6, 4)), true))
                .isInstanceOf(TruncationBelowCommitException.class).hasMessageContaining("index 4");
        assertThat(s.entries(4, 6, Long.MAX_VALUE)).containsExactly(e(4, 4), e(5, 5));
        s.save(null, List.of(e(6, 5)), true);
        assertThat(s.term(5)).isEqualTo(6);
    }

    @Test
    void aNewStorageIsEmptyWithEmptyState() {
        s = DurableRaftStorage.open(TestLogs.config(dir, TestLogs.clock()));
        assertThat(s.firstIndex()).isEqualTo(1);
        assertThat(s.lastIndex()).isEqualTo(0);
        assertThat(s.term(0)).isEqualTo(0);
        assertThat(s.initialState().hardState()).isEqualTo(HardState.EMPTY);
        assertThat(s.snapshot().isEmpty()).isTrue();
    }
}
