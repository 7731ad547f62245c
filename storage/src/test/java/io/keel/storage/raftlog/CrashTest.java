package io.keel.storage.raftlog;

import io.keel.raft.Entry;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a process that is appending: a child JVM appends batches and reports each index once
 * its durability barrier has returned; the test SIGKILLs it after a seeded number of reports, then
 * recovers the directory in this JVM and checks that every acknowledged entry (as last
 * acknowledged, after conflicts) is present and intact, and the acknowledged commit survives.
 * The next round's child continues on the recovered log. A failure prints its seed and round.
 */
class CrashTest {
    private static final long SEED = 20261121L;
    private static final int ROUNDS = 10;

    @TempDir
    Path dir;

    @Test
    void aWriterKilledInsideARecordLosesOnlyThatRecord() throws Exception {
        Path dataDir = dir.resolve("torn");
        try (ChildJvm child = ChildJvm.start(WalChild.class, dir.resolve("torn-stderr.log"), "tear", dataDir.toString())) {
            assertThat(child.nextLine("INSIDE")).isNotNull();
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
        Random rnd = new Random(SEED);
        Path stderr = dir.resolve("child-stderr.log");
        Path dataDir = dir.resolve("data");
        long clockMillis = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        TreeMap<Long, Long> ackedTerms = new TreeMap<>();
        long ackedCommit = 0;
        int kills = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String where = "seed " + SEED + " round " + round + " (child stderr: " + stderr + ")";
            int acksBeforeKill = 1 + rnd.nextInt(60);
            try (ChildJvm child = ChildJvm.start(WalChild.class, stderr, "append", dataDir.toString(),
                    Long.toString(rnd.nextLong()), Long.toString(clockMillis))) {
                assertThat(child.nextLine("RECOVERED")).as(where).isNotNull();
                for (int i = 0; i < acksBeforeKill; i++) {
                    String line = child.nextLine("ACK ");
                    assertThat(line).as(where + ": child died").isNotNull();
                    String[] f = line.split(" ");
                    long first = Long.parseLong(f[1]);
                    long last = Long.parseLong(f[2]);
                    long term = Long.parseLong(f[3]);
                    ackedTerms.tailMap(first, true).clear();
                    for (long idx = first; idx <= last; idx++) {
                        ackedTerms.put(idx, term);
                    }
                    ackedCommit = Math.max(ackedCommit, Long.parseLong(f[4]));
                    clockMillis = Math.max(clockMillis, Long.parseLong(f[5]));
                }
                child.kill();
                kills++;
            }
            // The child may have moved its clock and written one more batch after its last report.
            clockMillis += 2 * WalChild.CLOCK_STEP_MILLIS;
            SetTimeProvider clock = new SetTimeProvider(0);
            clock.currentTimeMillis(clockMillis);
            try (DurableRaftStorage s = DurableRaftStorage.open(RaftLogConfig.defaults(dataDir).withClock(clock))) {
                assertThat(s.hardState().commit()).as(where).isGreaterThanOrEqualTo(ackedCommit);
                assertThat(s.lastIndex()).as(where).isGreaterThanOrEqualTo(ackedTerms.lastKey());
                long from = s.firstIndex();
                for (Entry e : s.entries(from, s.lastIndex() + 1, Long.MAX_VALUE)) {
                    Long expectedTerm = ackedTerms.get(e.index());
                    if (expectedTerm != null && e.index() <= ackedTerms.lastKey()) {
                        assertThat(e.term()).as(where + " term of acknowledged entry " + e.index()).isEqualTo(expectedTerm);
                    }
                    assertThat(e).as(where + " entry " + e.index() + " intact").isEqualTo(TestLogs.entry(e.term(), e.index()));
                }
                assertThat(s.term(from - 1)).as(where).isEqualTo(from - 1 == 0 ? 0 : ackedTerms.getOrDefault(from - 1, s.term(from - 1)));
                if (!s.snapshot().isEmpty()) {
                    assertThat(new String(s.snapshot().data())).isEqualTo("snap@" + s.snapshot().metadata().index());
                }
                // What recovery kept (acknowledged or not) is what the next round builds on.
                ackedTerms.clear();
                for (long i = Math.max(1, from - 1); i <= s.lastIndex(); i++) {
                    ackedTerms.put(i, s.term(i));
                }
                ackedCommit = s.hardState().commit();
            }
        }
        assertThat(kills).isEqualTo(ROUNDS);
        assertThat(Files.exists(stderr) ? Files.readString(stderr) : "").as("child stderr").doesNotContain("Exception");
    }
}
