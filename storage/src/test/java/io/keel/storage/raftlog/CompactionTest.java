package io.keel.storage.raftlog;

import io.keel.raft.ConfState;
import io.keel.raft.HardState;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Prefix compaction deletes whole cycle files once a durable snapshot covers them, and nothing else. */
class CompactionTest {
    private static final long TEN_MINUTES = 10 * 60_000L;

    @TempDir
    Path dir;
    private final SetTimeProvider clock = TestLogs.clock();

    private RaftLogConfig config() {
        return TestLogs.config(dir, clock).withEntryCache(4, 1 << 20);
    }

    /** Five cycle files holding entries 1-10, 11-20, ..., 41-50. */
    private DurableRaftStorage fiveCycles() {
        DurableRaftStorage s = DurableRaftStorage.open(config());
        for (int c = 0; c < 5; c++) {
            s.save(new HardState(1, 1, c * 10), TestLogs.entries(1, c * 10 + 1, c * 10 + 10), true);
            clock.advanceMillis(TEN_MINUTES);
        }
        return s;
    }

    @Test
    void compactionDeletesTheFilesASnapshotCoversAndKeepsTheRest() throws IOException {
        try (DurableRaftStorage s = fiveCycles()) {
            assertThat(cycleFiles()).hasSize(5);
            s.save(new HardState(1, 1, 50), List.of(), true);
            s.createSnapshot(25, ConfState.ofVoters(1L), null);
            s.compact(25);
            assertThat(cycleFiles()).as("files of 1-10 and 11-20 deleted").hasSize(4);
            assertThat(s.entries(26, 51, Long.MAX_VALUE)).as("read back from the queue, not the cache")
                    .isEqualTo(TestLogs.entries(1, 26, 50));
        }
        try (DurableRaftStorage s = DurableRaftStorage.open(config())) {
            assertThat(s.firstIndex()).isEqualTo(26);
            assertThat(s.term(25)).isEqualTo(1);
            assertThat(s.entries(26, 51, Long.MAX_VALUE)).isEqualTo(TestLogs.entries(1, 26, 50));
            assertThat(s.hardState()).isEqualTo(new HardState(1, 1, 50));
        }
    }

    @Test
    void compactionBeyondTheSnapshotDeletesOnlyWhatTheSnapshotCovers() throws IOException {
        try (DurableRaftStorage s = fiveCycles()) {
            s.save(new HardState(1, 1, 50), List.of(), true);
            s.createSnapshot(12, ConfState.ofVoters(1L), null);
            s.compact(45);
            assertThat(s.firstIndex()).isEqualTo(46);
            assertThat(cycleFiles()).as("of six files only that of 1-10 is covered by the snapshot at 12").hasSize(5);
        }
        try (DurableRaftStorage s = DurableRaftStorage.open(config())) {
            assertThat(s.firstIndex()).isEqualTo(13);
            assertThat(s.entries(13, 51, Long.MAX_VALUE)).isEqualTo(TestLogs.entries(1, 13, 50));
        }
    }

    @Test
    void withoutASnapshotNothingIsDeleted() throws IOException {
        try (DurableRaftStorage s = fiveCycles()) {
            s.compact(30);
            assertThat(cycleFiles()).hasSize(5);
        }
    }

    @Test
    void anInstalledSnapshotMakesEveryEarlierFileDeletable() throws IOException {
        try (DurableRaftStorage s = fiveCycles()) {
            s.applySnapshot(new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1L), 60, 2), new byte[] {1}));
            s.save(new HardState(2, 0, 60), TestLogs.entries(2, 61, 62), true);
            clock.advanceMillis(TEN_MINUTES);
            s.save(null, TestLogs.entries(2, 63, 64), true);
            s.createSnapshot(63, ConfState.ofVoters(1L), null);
            s.compact(63);
            assertThat(cycleFiles()).as("all but the newest file").hasSize(1);
        }
        try (DurableRaftStorage s = DurableRaftStorage.open(config())) {
            assertThat(s.firstIndex()).isEqualTo(64);
            assertThat(s.entries(64, 65, Long.MAX_VALUE)).isEqualTo(TestLogs.entries(2, 64, 64));
            assertThat(s.hardState()).isEqualTo(new HardState(2, 0, 60));
        }
    }

    @Test
    void oldSnapshotFilesArePurgedAndTheMvccDatabaseNameIsNeverUsed() throws IOException {
        try (DurableRaftStorage s = fiveCycles()) {
            s.save(new HardState(1, 1, 50), List.of(), true);
            for (int i = 1; i <= 8; i++) {
                s.createSnapshot(i * 5, ConfState.ofVoters(1L), null);
            }
        }
        try (Stream<Path> files = Files.list(config().snapDir())) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names.stream().filter(n -> n.endsWith(".snap"))).hasSize(5);
            assertThat(names).doesNotContain("db");
        }
    }

    private List<Path> cycleFiles() throws IOException {
        try (Stream<Path> files = Files.list(config().walDir())) {
            return files.filter(p -> p.toString().endsWith(".cq4")).toList();
        }
    }
}
