package io.keel.storage.wal;

import io.keel.raft.HardState;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The barrier's reach across a roll: Chronicle writes the end-of-cycle marker into the previous
 * file, and a reader only moves on to the next file past that marker, so a barrier covering the
 * first record of a new cycle must force the previous file too. Otherwise a power loss could keep
 * the new file's acknowledged records and lose the marker, and recovery would stop at the old file
 * and cut the new one as a damaged tail.
 */
class ChronicleLogBarrierTest {
    private static final RollCycle ROLL = RollCycles.TEN_MINUTELY;

    @TempDir
    Path dir;
    private final SetTimeProvider clock = new SetTimeProvider(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aBarrierAfterARollForcesThePreviousCycleFile() {
        try (ChronicleLog log = ChronicleLog.open(dir, ROLL, clock, new TreeMap<>())) {
            int first = log.cycleOf(log.append(record(1)));
            log.sync();
            assertThat(log.lastBarrierCycles()).containsExactly(first);
            clock.advanceMillis(600_000L);
            int second = log.cycleOf(log.append(record(2)));
            log.sync();
            assertThat(second).isEqualTo(first + 1);
            assertThat(log.lastBarrierCycles()).containsExactly(first, second);
            log.append(record(3));
            log.sync();
            assertThat(log.lastBarrierCycles()).containsExactly(second);
        }
    }

    @Test
    void theFirstAppendAfterARestartThatRollsForcesTheOldNewestFile() {
        int first;
        try (ChronicleLog log = ChronicleLog.open(dir, ROLL, clock, new TreeMap<>())) {
            first = log.cycleOf(log.append(record(1)));
            log.sync();
        }
        ScanResult scan = WalScanner.scan(dir, ROLL, clock);
        clock.advanceMillis(600_000L);
        try (ChronicleLog log = ChronicleLog.open(dir, ROLL, clock, scan.cycleFiles())) {
            int second = log.cycleOf(log.append(record(2)));
            log.sync();
            assertThat(log.lastBarrierCycles()).containsExactly(first, second);
        }
        assertThat(WalScanner.scan(dir, ROLL, clock).records()).hasSize(2);
    }

    private static WalRecord record(long commit) {
        return WalRecord.ofHardState(new HardState(1, 1, commit));
    }
}
