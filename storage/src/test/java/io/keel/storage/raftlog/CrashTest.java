package io.keel.storage.raftlog;

import io.keel.raft.Entry;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * kill -9 of a process that is appending: a child JVM appends batches and reports each one before
 * writing it and again once its durability barrier has returned; the test SIGKILLs it after a
 * seeded number of reports, reads every report the child wrote before it died (a busy machine
 * leaves the test far behind the child), then recovers the directory in this JVM and checks it
 * against {@link AckedLog}. The next round's child continues on the recovered log. A failure
 * names the seed, the round, the kept data directory and the tail of the child's stderr.
 */
class CrashTest {
    private static final long SEED = 20261121L;
    private static final int ROUNDS = 10;
    private static final long START_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    /** Kept when a test fails, so the log that failed recovery can be inspected. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aWriterKilledInsideARecordLosesOnlyThatRecord() throws Exception {
        Path dataDir = dir.resolve("torn");
        try (ChildJvm child = ChildJvm.start(WalChild.class, dir.resolve("torn-stderr.log"), "tear", dataDir.toString())) {
            assertThat(child.nextLine("INSIDE")).as(() -> "child died: " + child.stderrTail(20)).isNotNull();
            child.kill();
        }
        try (DurableRaftStorage s = DurableRaftStorage.open(RaftLogConfig.defaults(dataDir))) {
            assertThat(s.lastIndex()).isEqualTo(10);
            assertThat(s.entries(1, 11, Long.MAX_VALUE)).isEqualTo(TestLogs.entries(1, 1, 10));
            s.save(null, TestLogs.entries(2, 11, 12), true);
        }
        try (DurableRaftStorage s = DurableRaftStorage.open(RaftLogConfig.defaults(dataDir))) {
            assertThat(s.entries(11, 13, Long.MAX_VALUE)).isEqualTo(TestLogs.entries(2, 11, 12));
        }
    }

    @Test
    void everyAcknowledgedEntrySurvivesKillNine() throws Exception {
        runRounds(dir, SEED, ROUNDS, false);
    }

    /**
     * Every child starts with the clock of the first round, cycle files behind the newest one the
     * log holds (a wall clock stepped back across restarts): appends must still follow the newest
     * record. Before the WAL ran on {@code CycleFloorClock} this failed in the second round
     * (recovery cut the newer files as a damaged tail, leaving a log with a gap before it).
     */
    @Test
    void childrenWhoseClockIsBehindTheLogKeepEveryAcknowledgedEntry() throws Exception {
        runRounds(dir, SEED + 1, 6, true);
    }

    /** One seeded run of kill -9 rounds in {@code dir}; package-private so that a soak loop can repeat it. */
    static void runRounds(Path dir, long seed, int rounds, boolean clockStepsBack) throws Exception {
        Random rnd = new Random(seed);
        Path stderr = dir.resolve("child-stderr.log");
        Path dataDir = dir.resolve("data");
        AckedLog acked = new AckedLog(START_MILLIS);
        for (int round = 0; round < rounds; round++) {
            int round0 = round;
            // Stepping back: a long first round crosses cycle files; then short rounds, fewer
            // than ten batches, so no newer snapshot covers (and hides) a misordered log.
            int acksBeforeKill = !clockStepsBack ? 1 + rnd.nextInt(60) : round == 0 ? 35 + rnd.nextInt(30) : 1 + rnd.nextInt(9);
            long childClock = clockStepsBack ? START_MILLIS + rnd.nextInt(3) * 60_000L : acked.clockMillis();
            try (ChildJvm child = ChildJvm.start(WalChild.class, stderr, "append", dataDir.toString(),
                    Long.toString(rnd.nextLong()), Long.toString(childClock))) {
                java.util.function.Supplier<String> where = () -> "seed " + seed + " round " + round0 + ", data dir "
                        + dataDir + " (kept), child stderr " + stderr + " ends with:\n" + child.stderrTail(30);
                assertThat(child.nextLine("RECOVERED")).as(where).isNotNull();
                int killAt = acked.acks() + acksBeforeKill;
                while (acked.acks() < killAt) {
                    String line = child.nextLine("");
                    assertThat(line).as(() -> "child died: " + where.get()).isNotNull();
                    acked.onLine(line);
                }
                child.kill();
                child.remainingLines("").forEach(acked::onLine);
                checkRecovery(acked, dataDir, where);
            }
        }
        assertThat(Files.exists(stderr) ? Files.readString(stderr) : "").as("child stderr").doesNotContain("Exception");
    }

    private static void checkRecovery(AckedLog acked, Path dataDir, java.util.function.Supplier<String> where) {
        // The child may have moved its clock once more after its last report.
        SetTimeProvider clock = new SetTimeProvider(0);
        clock.currentTimeMillis(acked.clockMillis() + WalChild.CLOCK_STEP_MILLIS);
        DurableRaftStorage opened = null;
        try {
            opened = DurableRaftStorage.open(RaftLogConfig.defaults(dataDir).withClock(clock));
        } catch (RuntimeException e) {
            fail("recovery failed: " + e.getMessage() + "; " + where.get(), e);
        }
        try (DurableRaftStorage s = opened) {
            assertThat(s.hardState().commit()).as(where).isGreaterThanOrEqualTo(acked.commit());
            assertThat(s.lastIndex()).as(where).isGreaterThanOrEqualTo(acked.minRecoveredLastIndex());
            long from = s.firstIndex();
            for (Entry e : s.entries(from, s.lastIndex() + 1, Long.MAX_VALUE)) {
                assertThat(acked.mismatch(e)).as(where).isNull();
                assertThat(e).as(() -> "entry " + e.index() + " intact; " + where.get())
                        .isEqualTo(TestLogs.entry(e.term(), e.index()));
            }
            assertThat(s.term(from - 1)).as(where).isEqualTo(from - 1 == 0 ? 0 : acked.termOr(from - 1, s.term(from - 1)));
            if (!s.snapshot().isEmpty()) {
                assertThat(new String(s.snapshot().data())).isEqualTo("snap@" + s.snapshot().metadata().index());
            }
            acked.resetTo(s);
        }
    }
}
