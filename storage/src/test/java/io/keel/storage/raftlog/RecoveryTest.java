package io.keel.storage.raftlog;

import io.keel.raft.ConfState;
import io.keel.raft.HardState;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;
import io.keel.storage.snap.HardStateFile;
import io.keel.storage.snap.SnapshotFiles;
import io.keel.storage.wal.QueueFiles;
import io.keel.storage.wal.RecordType;
import io.keel.storage.wal.WalCorruptionException;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Restart and recovery: what comes back after a clean stop, a torn tail, corruption and crashes between steps. */
class RecoveryTest {
    @TempDir
    Path dir;
    private final SetTimeProvider clock = TestLogs.clock();

    private DurableRaftStorage open() {
        return DurableRaftStorage.open(TestLogs.config(dir, clock));
    }

    @Test
    void restartBringsBackEntriesHardStateAndSnapshot() {
        try (DurableRaftStorage s = open()) {
            s.save(new HardState(2, 3, 8), TestLogs.entries(2, 1, 10), true);
            s.createSnapshot(5, ConfState.ofVoters(1L, 2L, 3L), new byte[] {42});
        }
        try (DurableRaftStorage s = open()) {
            assertThat(s.initialState().hardState()).isEqualTo(new HardState(2, 3, 8));
            assertThat(s.initialState().confState()).isEqualTo(ConfState.ofVoters(1L, 2L, 3L));
            assertThat(s.snapshot().metadata().index()).isEqualTo(5);
            assertThat(s.snapshot().data()).containsExactly(42);
            assertThat(s.firstIndex()).as("restart starts the log after the snapshot, as etcd does").isEqualTo(6);
            assertThat(s.lastIndex()).isEqualTo(10);
            assertThat(s.entries(6, 11, Long.MAX_VALUE)).isEqualTo(TestLogs.entries(2, 6, 10));
        }
    }

    @Test
    void truncationMarkersAreHonouredOnReplay() {
        try (DurableRaftStorage s = open()) {
            s.save(new HardState(1, 1, 3), TestLogs.entries(1, 1, 10), true);
            s.save(new HardState(2, 0, 3), TestLogs.entries(2, 6, 8), true);
            s.save(new HardState(3, 0, 3), TestLogs.entries(3, 5, 5), true);
            s.save(null, TestLogs.entries(3, 6, 7), true);
        }
        try (DurableRaftStorage s = open()) {
            assertThat(s.lastIndex()).isEqualTo(7);
            assertThat(s.entries(1, 8, Long.MAX_VALUE)).containsExactlyElementsOf(concat(
                    TestLogs.entries(1, 1, 4), TestLogs.entries(3, 5, 7)));
            assertThat(s.hardState()).isEqualTo(new HardState(3, 0, 3));
        }
        long markers = QueueFiles.docs(TestLogs.config(dir, clock).walDir(), clock).stream()
                .filter(d -> d.record().type() == RecordType.TRUNCATE).count();
        assertThat(markers).as("truncation is logical: marker records").isEqualTo(2);
    }

    @Test
    void aTornLastRecordIsCutAndTheLogStaysWritable() throws Exception {
        try (DurableRaftStorage s = open()) {
            s.save(new HardState(1, 1, 5), TestLogs.entries(1, 1, 10), true);
            s.save(null, TestLogs.entries(1, 11, 11), true);
        }
        Path wal = TestLogs.config(dir, clock).walDir();
        QueueFiles.Doc last = QueueFiles.docs(wal, clock).get(QueueFiles.docs(wal, clock).size() - 1);
        assertThat(last.record().index()).isEqualTo(11);
        QueueFiles.flipByte(last.file(), last.end() - 2);
        try (DurableRaftStorage s = open()) {
            assertThat(s.lastIndex()).isEqualTo(10);
            s.save(null, TestLogs.entries(2, 11, 12), true);
        }
        try (DurableRaftStorage s = open()) {
            assertThat(s.entries(1, 13, Long.MAX_VALUE)).containsExactlyElementsOf(concat(
                    TestLogs.entries(1, 1, 10), TestLogs.entries(2, 11, 12)));
        }
        assertThat(Files.isDirectory(wal.resolveSibling("wal.broken"))).as("damaged log kept for inspection").isTrue();
    }

    @Test
    void corruptionBeforeTheLastRecordStopsTheMemberNamingFileAndIndex() throws Exception {
        try (DurableRaftStorage s = open()) {
            s.save(new HardState(1, 1, 5), TestLogs.entries(1, 1, 10), true);
        }
        Path wal = TestLogs.config(dir, clock).walDir();
        QueueFiles.Doc fifth = QueueFiles.docs(wal, clock).get(4);
        assertThat(fifth.record().index()).isEqualTo(5);
        QueueFiles.flipByte(fifth.file(), fifth.start() + 12);
        assertThatThrownBy(this::open).isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining(fifth.file().toString())
                .hasMessageContaining("raft index 4")
                .hasMessageContaining("must stop");
        assertThatThrownBy(this::open).as("the lock is released after a failed open")
                .isInstanceOf(WalCorruptionException.class);
    }

    @Test
    void anOldEntryFoundCorruptWhenReadBackStopsTheStorage() throws Exception {
        Path wal = TestLogs.config(dir, clock).walDir();
        try (DurableRaftStorage s = DurableRaftStorage.open(TestLogs.config(dir, clock).withEntryCache(2, 1 << 20))) {
            s.save(new HardState(1, 1, 5), TestLogs.entries(1, 1, 10), true);
            QueueFiles.Doc third = QueueFiles.docs(wal, clock).get(2);
            QueueFiles.flipByte(third.file(), third.end() - 1);
            assertThat(s.entries(9, 11, Long.MAX_VALUE)).as("cached").hasSize(2);
            assertThatThrownBy(() -> s.entries(1, 11, Long.MAX_VALUE))
                    .isInstanceOf(WalCorruptionException.class).hasMessageContaining(third.file().toString());
            assertThatThrownBy(s::lastIndex).isInstanceOf(IllegalStateException.class).hasMessageContaining("failed");
        }
    }

    @Test
    void aLogThatEndsBelowTheCommitIndexIsFatal() {
        try (DurableRaftStorage s = open()) {
            s.save(new HardState(1, 1, 5), TestLogs.entries(1, 1, 10), true);
        }
        new HardStateFile(TestLogs.config(dir, clock).snapDir()).save(new HardState(1, 1, 20));
        assertThatThrownBy(this::open).isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining("ends at index 10 but index 20 was committed");
    }

    @Test
    void aSnapshotFileTheLogNeverRecordedIsIgnored() {
        try (DurableRaftStorage s = open()) {
            s.save(new HardState(1, 1, 5), TestLogs.entries(1, 1, 10), true);
            s.createSnapshot(3, ConfState.ofVoters(1L), null);
        }
        // A crash after writing the file of an installed snapshot but before its log marker.
        new SnapshotFiles(TestLogs.config(dir, clock).snapDir())
                .save(new Snapshot(new SnapshotMetadata(ConfState.ofVoters(9L), 50, 7), null));
        try (DurableRaftStorage s = open()) {
            assertThat(s.snapshot().metadata().index()).isEqualTo(3);
            assertThat(s.lastIndex()).isEqualTo(10);
        }
    }

    @Test
    void anInstalledSnapshotReplacesTheOldLogAcrossRestarts() {
        try (DurableRaftStorage s = open()) {
            s.save(new HardState(1, 1, 2), TestLogs.entries(1, 1, 10), true);
            s.applySnapshot(new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1L, 2L), 7, 3), new byte[] {5}));
            s.save(new HardState(3, 0, 7), TestLogs.entries(3, 8, 9), true);
        }
        try (DurableRaftStorage s = open()) {
            assertThat(s.firstIndex()).isEqualTo(8);
            assertThat(s.term(7)).isEqualTo(3);
            assertThat(s.entries(8, 10, Long.MAX_VALUE)).isEqualTo(TestLogs.entries(3, 8, 9));
        }
    }

    @Test
    void theLatestHardStateWinsBetweenCheckpointAndLog() {
        assertThat(LogReplay.newer(new HardState(2, 1, 5), new HardState(3, 0, 4))).isEqualTo(new HardState(3, 0, 4));
        assertThat(LogReplay.newer(new HardState(3, 0, 6), new HardState(3, 0, 4))).isEqualTo(new HardState(3, 0, 6));
        assertThat(LogReplay.newer(new HardState(3, 0, 6), new HardState(3, 2, 6))).isEqualTo(new HardState(3, 2, 6));
    }

    @Test
    void aHardStateThatGoesBackwardsIsRejected() {
        try (DurableRaftStorage s = open()) {
            s.save(new HardState(3, 1, 5), TestLogs.entries(1, 1, 6), true);
            assertThatThrownBy(() -> s.save(new HardState(2, 1, 5), List.of(), true))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.save(new HardState(3, 1, 4), List.of(), true))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
