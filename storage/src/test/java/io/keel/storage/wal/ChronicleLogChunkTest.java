package io.keel.storage.wal;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cycle file is written through a mapping, so every page the appender has touched counts in
 * the member's RSS for as long as it stays mapped. Synced pages are never written again, so the
 * log maps the file in small chunks and lets go of those behind the appender: what stays
 * resident is bounded by the chunk size, not by the size of the cycle file. Read from Linux's
 * per-mapping accounting of this process. A record larger than a chunk's overlap makes the log
 * map larger chunks, and stays readable, also after a restart.
 */
@EnabledOnOs(OS.LINUX)
class ChronicleLogChunkTest {
    private static final RollCycle ROLL = RollCycles.TEN_MINUTELY;
    private static final int RECORDS = 200_000;
    private static final int PAYLOAD = 300;

    @TempDir
    Path dir;
    private final SetTimeProvider clock = new SetTimeProvider(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void pagesBehindTheAppenderDoNotStayResident() throws IOException {
        Random random = new Random(7);
        byte[] payload = new byte[PAYLOAD];
        try (ChronicleLog log = ChronicleLog.open(dir, ROLL, clock, new TreeMap<>())) {
            long first = -1;
            long last = -1;
            for (int i = 1; i <= RECORDS; i++) {
                random.nextBytes(payload);
                last = log.append(new WalRecord(RecordType.ENTRY_NORMAL, 1, i, payload.clone()));
                if (first < 0) {
                    first = last;
                }
                if (i % 100 == 0) {
                    log.sync();
                    // Raft reads back what it just wrote (sending to followers, applying).
                    assertThat(log.read(last).index()).isEqualTo(i);
                }
            }
            log.sync();
            long fileBytes = Files.size(log.cycleFiles().values().iterator().next());
            long written = (long) RECORDS * PAYLOAD;
            assertThat(fileBytes).isGreaterThan(written);
            // Chronicle unmaps released chunks on its background releaser thread: poll for it.
            long limit = Math.min(2 * (WalBlockSize.MIN_BYTES + WalBlockSize.MIN_BYTES / 4), written / 2);
            long deadline = System.nanoTime() + 30_000_000_000L;
            long resident = residentBytesOf(dir);
            while (resident > limit && System.nanoTime() < deadline) {
                LockSupport.parkNanos(20_000_000L);
                resident = residentBytesOf(dir);
            }
            // At most two chunks with their overlap: the one at the file's start, where Chronicle
            // keeps its index of indexes, and the appender's. Before: every page written.
            assertThat(resident).as("resident bytes of the cycle file (%d bytes written)", written)
                    .isLessThanOrEqualTo(limit);
            // Everything is still readable: the oldest record maps its chunk again.
            assertThat(log.read(first).index()).isEqualTo(1);
            assertThat(log.read(last).index()).isEqualTo(RECORDS);
        }
    }

    @Test
    void aRecordLargerThanTheChunksOverlapRemapsAndStaysReadable() {
        byte[] big = new byte[5 << 20];
        new Random(11).nextBytes(big);
        long small;
        long large;
        long after;
        try (ChronicleLog log = ChronicleLog.open(dir, ROLL, clock, new TreeMap<>())) {
            assertThat(log.blockSize()).isEqualTo(WalBlockSize.MIN_BYTES);
            small = log.append(new WalRecord(RecordType.ENTRY_NORMAL, 1, 1, new byte[300]));
            log.sync();
            large = log.append(new WalRecord(RecordType.ENTRY_NORMAL, 1, 2, big));
            after = log.append(new WalRecord(RecordType.ENTRY_NORMAL, 1, 3, new byte[300]));
            log.sync();
            assertThat(log.blockSize()).isGreaterThanOrEqualTo(4L * big.length);
            assertThat(log.read(small).index()).isEqualTo(1);
            assertThat(log.read(large).payload()).isEqualTo(big);
            assertThat(log.read(after).index()).isEqualTo(3);
        }
        ScanResult scan = WalScanner.scan(dir, ROLL, clock);
        assertThat(scan.records()).extracting(r -> r.record().index()).containsExactly(1L, 2L, 3L);
        assertThat(scan.records().get(1).record().payload()).isEqualTo(big);
        long largest = RecordCodec.OVERHEAD_BYTES + big.length;
        try (ChronicleLog log = ChronicleLog.open(dir, ROLL, clock, scan.cycleFiles(), largest)) {
            assertThat(log.read(large).payload()).isEqualTo(big);
            long next = log.append(new WalRecord(RecordType.ENTRY_NORMAL, 1, 4, new byte[300]));
            log.sync();
            assertThat(log.read(next).index()).isEqualTo(4);
        }
        assertThat(WalScanner.scan(dir, ROLL, clock).records()).hasSize(4);
    }

    @Test
    void blockSizesArePowersOfTwoBetweenTheBounds() {
        assertThat(WalBlockSize.forRecord(0)).isEqualTo(WalBlockSize.MIN_BYTES);
        assertThat(WalBlockSize.maxRecordBytes(WalBlockSize.forRecord(1_572_864 + 1024))).isGreaterThan(1_572_864 + 1024);
        assertThat(WalBlockSize.forRecord(5 << 20)).isEqualTo(32L << 20);
        assertThat(WalBlockSize.forRecord(1L << 30)).isEqualTo(WalBlockSize.MAX_BYTES);
    }

    /** The RSS of every mapping of a cycle file under {@code walDir}, from /proc/self/smaps. */
    static long residentBytesOf(Path walDir) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        String prefix = walDir.toRealPath().toString();
        long kib = 0;
        boolean inCycleFile = false;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && f[0].contains("-") && f[3].contains(":")) {
                inCycleFile = f.length > 5 && f[5].startsWith(prefix) && f[5].endsWith(".cq4");
            } else if (inCycleFile && f[0].equals("Rss:")) {
                kib += Long.parseLong(f[1]);
            }
        }
        return kib * 1024;
    }
}
