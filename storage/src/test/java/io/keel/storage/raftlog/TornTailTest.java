package io.keel.storage.raftlog;

import io.keel.raft.Entry;
import io.keel.raft.HardState;
import io.keel.storage.wal.QueueFiles;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.wire.Wires;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lost unsynced writes and torn records: a log whose last barrier covers entries 1..200 and whose
 * entries 201..260 were written without one is cut (or zero-filled, as lost pages read) at seeded
 * byte offsets after the barrier. Recovery must keep 1..200 and the commit, keep only an intact
 * prefix of the rest, cut cleanly, and leave a log that takes appends and reopens.
 */
class TornTailTest {
    private static final long SEED = 42;
    private static final int SYNCED = 200;
    private static final int UNSYNCED = 60;

    @TempDir
    Path dir;
    private final SetTimeProvider clock = TestLogs.clock();
    private Path template;
    private Path cycleFile;
    private long barrierEnd;
    private long dataEnd;

    @BeforeEach
    void writeTemplate() throws IOException {
        template = dir.resolve("template");
        try (DurableRaftStorage s = DurableRaftStorage.open(TestLogs.config(template, clock))) {
            for (long i = 1; i <= SYNCED; i += 20) {
                s.save(new HardState(1, 1, i - 1), TestLogs.entries(1, i, i + 19), true);
            }
            for (long i = SYNCED + 1; i <= SYNCED + UNSYNCED; i += 6) {
                s.save(new HardState(1, 1, i - 1), TestLogs.entries(1, i, i + 5), false);
            }
        }
        List<QueueFiles.Doc> docs = QueueFiles.docs(TestLogs.config(template, clock).walDir(), clock);
        cycleFile = docs.get(0).file();
        assertThat(docs).allMatch(d -> d.file().equals(cycleFile));
        QueueFiles.Doc lastSynced = docs.stream().filter(d -> d.record().type().isEntry() && d.record().index() == SYNCED)
                .findFirst().orElseThrow();
        barrierEnd = docs.get(docs.indexOf(lastSynced) + 1).end(); // the batch's hard-state record
        dataEnd = docs.get(docs.size() - 1).end();
    }

    @Test
    void cuttingTheLogAnywhereAfterTheLastBarrierLosesNothingAcknowledged() throws IOException {
        Random rnd = new Random(SEED);
        for (int round = 0; round < 24; round++) {
            long offset = round == 0 ? barrierEnd : barrierEnd + rnd.nextInt((int) (dataEnd - barrierEnd + 64));
            boolean zeroFill = round % 2 == 1;
            Path data = dir.resolve("round" + round);
            copyTemplate(data);
            Path file = TestLogs.config(data, clock).walDir().resolve(cycleFile.getFileName());
            if (zeroFill) {
                zero(file, offset, dataEnd + 64);
            } else {
                QueueFiles.cut(file, offset);
            }
            checkRecovers(data, "seed " + SEED + " round " + round + (zeroFill ? " zero-filled from " : " cut at ") + offset);
        }
    }

    @Test
    void aHalfWrittenRecordLeftByAKilledWriterIsCut() throws IOException {
        Path data = dir.resolve("half");
        copyTemplate(data);
        Path file = TestLogs.config(data, clock).walDir().resolve(cycleFile.getFileName());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(Wires.NOT_COMPLETE | 64).putLong(0x0102030405060708L).flip();
            ch.write(header, (dataEnd + 3) & ~3L);
        }
        checkRecovers(data, "half-written record");
    }

    private void checkRecovers(Path data, String where) {
        long last;
        try (DurableRaftStorage s = DurableRaftStorage.open(TestLogs.config(data, clock))) {
            last = s.lastIndex();
            assertThat(last).as(where).isBetween((long) SYNCED, (long) SYNCED + UNSYNCED);
            assertThat(s.hardState().commit()).as(where).isGreaterThanOrEqualTo(SYNCED - 20);
            assertThat(s.entries(1, last + 1, Long.MAX_VALUE)).as(where).isEqualTo(TestLogs.entries(1, 1, last));
            s.save(null, List.of(TestLogs.entry(2, last + 1)), true);
        }
        try (DurableRaftStorage s = DurableRaftStorage.open(TestLogs.config(data, clock))) {
            assertThat(s.lastIndex()).as(where + ": append after the cut survives a reopen").isEqualTo(last + 1);
            List<Entry> tail = s.entries(last, last + 2, Long.MAX_VALUE);
            assertThat(tail).as(where).containsExactly(TestLogs.entry(1, last), TestLogs.entry(2, last + 1));
        }
    }

    /** Copies the template data dir; the sparse cycle file only up to a little past its data. */
    private void copyTemplate(Path target) throws IOException {
        try (Stream<Path> all = Files.walk(template)) {
            for (Path src : all.toList()) {
                Path dst = target.resolve(template.relativize(src).toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else if (src.getFileName().equals(cycleFile.getFileName())) {
                    try (FileChannel in = FileChannel.open(src); FileChannel out = FileChannel.open(dst,
                            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        in.transferTo(0, dataEnd + 4096, out);
                    }
                } else {
                    Files.copy(src, dst);
                }
            }
        }
    }

    private static void zero(Path file, long from, long to) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(from);
            raf.write(new byte[(int) (to - from)]);
        }
    }
}
