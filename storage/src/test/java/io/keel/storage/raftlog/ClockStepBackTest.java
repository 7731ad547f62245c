package io.keel.storage.raftlog;

import io.keel.raft.Entry;
import io.keel.raft.HardState;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wall clock that steps back (NTP, a restored VM, an operator) must not reorder the log.
 * Chronicle files records by the cycle of the current time; left alone it appends into an earlier
 * cycle, so new records would sort before older ones (replay: "does not follow last index", or a
 * tailer stopping at the earlier file and the newer files cut as a damaged tail) or it refuses to
 * write into a finished file. This is what failed {@code CrashTest} under load: the parent read the
 * child's acknowledgements late, so the next child started with a clock cycles behind the files
 * the previous child had written.
 */
class ClockStepBackTest {
    private static final long TEN_MINUTES = 600_000L;

    @TempDir
    Path dir;
    private final SetTimeProvider clock = TestLogs.clock();

    /** Entries 1..30 in three cycle files (10 per file), commit 20. */
    private void writeThreeCycles() {
        try (DurableRaftStorage s = DurableRaftStorage.open(TestLogs.config(dir, clock))) {
            for (int c = 0; c < 3; c++) {
                s.save(new HardState(1, 1, Math.min(20, c * 10 + 10)), TestLogs.entries(1, c * 10 + 1, c * 10 + 10), true);
                clock.advanceMillis(TEN_MINUTES);
            }
        }
        assertThat(cycleFiles()).hasSize(3);
    }

    @Test
    void aRestartWithTheClockBeforeEveryCycleFileAppendsAfterTheNewestRecord() {
        writeThreeCycles();
        List<String> before = cycleFiles();
        SetTimeProvider behind = TestLogs.clock();
        behind.advanceMillis(-6 * TEN_MINUTES);
        try (DurableRaftStorage s = DurableRaftStorage.open(TestLogs.config(dir, behind))) {
            s.save(new HardState(2, 1, 22), TestLogs.entries(2, 25, 33), true);
            behind.advanceMillis(TEN_MINUTES);
            s.save(null, TestLogs.entries(2, 34, 35), true);
        }
        assertThat(cycleFiles()).as("no cycle file sorted before the existing ones").isEqualTo(before);
        assertReopens(clock, expected(24, 35), new HardState(2, 1, 22));
    }

    @Test
    void aRestartWithTheClockInsideAFinishedCycleStillAppends() {
        writeThreeCycles();
        SetTimeProvider behind = TestLogs.clock();
        behind.advanceMillis(TEN_MINUTES + 60_000L);
        try (DurableRaftStorage s = DurableRaftStorage.open(TestLogs.config(dir, behind))) {
            s.save(new HardState(2, 1, 22), TestLogs.entries(2, 25, 33), true);
        }
        assertReopens(clock, expected(24, 33), new HardState(2, 1, 22));
    }

    @Test
    void theClockSteppingBackWhileOpenKeepsTheLogInOrder() {
        SetTimeProvider c = TestLogs.clock();
        c.advanceMillis(3 * TEN_MINUTES);
        try (DurableRaftStorage s = DurableRaftStorage.open(TestLogs.config(dir, c))) {
            s.save(new HardState(1, 1, 5), TestLogs.entries(1, 1, 10), true);
            c.advanceMillis(TEN_MINUTES);
            s.save(null, TestLogs.entries(1, 11, 20), true);
            c.advanceMillis(-2 * TEN_MINUTES); // back into the first file's cycle
            s.save(new HardState(2, 1, 15), TestLogs.entries(2, 18, 22), true);
            c.advanceMillis(-5 * TEN_MINUTES); // before every file
            s.save(null, TestLogs.entries(2, 23, 26), true);
            assertThat(s.lastIndex()).isEqualTo(26);
        }
        assertThat(cycleFiles()).hasSize(2);
        // Time catches up and passes the newest file: the log rolls forward again.
        c.advanceMillis(10 * TEN_MINUTES);
        try (DurableRaftStorage s = DurableRaftStorage.open(TestLogs.config(dir, c))) {
            s.save(null, TestLogs.entries(2, 27, 28), true);
        }
        assertThat(cycleFiles()).hasSize(3);
        List<Entry> want = new ArrayList<>(TestLogs.entries(1, 1, 17));
        want.addAll(TestLogs.entries(2, 18, 28));
        assertReopens(c, want, new HardState(2, 1, 15));
    }

    /**
     * A kill in the middle of a roll, after Chronicle finished the newest file with its end marker
     * and before it created the next one, leaves a newest file that takes no more records. A clock
     * that is not past that file's cycle must not wedge the log (WriteAfterEOFException on every
     * append): the next record starts the next cycle.
     */
    @Test
    void aNewestFileFinishedByACutShortRollTakesNoRecordsAndTheLogMovesOn() throws Exception {
        try (DurableRaftStorage s = DurableRaftStorage.open(TestLogs.config(dir, clock))) {
            s.save(new HardState(1, 1, 5), TestLogs.entries(1, 1, 10), true);
        }
        List<String> before = cycleFiles();
        SetTimeProvider later = TestLogs.clock();
        later.advanceMillis(TEN_MINUTES);
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(TestLogs.config(dir, later).walDir())
                .rollCycle(RollCycles.TEN_MINUTELY).timeProvider(later).build();
             ExcerptAppender a = q.createAppender()) {
            a.writeText("the roll writes the end marker into the older file first");
        }
        // The kill came before the new file existed.
        for (String name : cycleFiles()) {
            if (!before.contains(name)) {
                Files.delete(TestLogs.config(dir, clock).walDir().resolve(name));
            }
        }
        assertThat(cycleFiles()).isEqualTo(before);
        try (DurableRaftStorage s = DurableRaftStorage.open(TestLogs.config(dir, clock))) {
            assertThat(s.lastIndex()).isEqualTo(10);
            s.save(new HardState(1, 1, 11), TestLogs.entries(1, 11, 12), true);
        }
        assertThat(cycleFiles()).hasSize(2);
        List<Entry> want = TestLogs.entries(1, 1, 12);
        assertReopens(clock, want, new HardState(1, 1, 11));
    }

    /** Entries 1..keptOld of term 1, then term 2 up to last. */
    private static List<Entry> expected(long keptOld, long last) {
        List<Entry> want = new ArrayList<>(TestLogs.entries(1, 1, keptOld));
        want.addAll(TestLogs.entries(2, keptOld + 1, last));
        return want;
    }

    private void assertReopens(SetTimeProvider at, List<Entry> want, HardState hs) {
        for (int i = 0; i < 2; i++) {
            try (DurableRaftStorage s = DurableRaftStorage.open(TestLogs.config(dir, at))) {
                assertThat(s.firstIndex()).isEqualTo(1);
                assertThat(s.lastIndex()).isEqualTo(want.size());
                assertThat(s.entries(1, want.size() + 1, Long.MAX_VALUE)).isEqualTo(want);
                assertThat(s.hardState()).isEqualTo(hs);
            }
            assertThat(Files.exists(TestLogs.config(dir, at).memberDir().resolve("wal.broken")))
                    .as("nothing was cut as a damaged tail").isFalse();
        }
    }

    private List<String> cycleFiles() {
        try (Stream<Path> files = Files.list(TestLogs.config(dir, clock).walDir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cq4")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
