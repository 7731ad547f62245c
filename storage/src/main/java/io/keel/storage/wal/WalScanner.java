package io.keel.storage.wal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wires;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a whole queue directory once at recovery: every record is checksum-verified, a damaged
 * tail is reported (not fixed), and a bad record followed by good ones is fatal.
 *
 * <p>Used only during recovery, by one thread; stateless; thread-safe.
 */
public final class WalScanner {
    /** Bound on metadata documents (Chronicle index blocks) skipped while checking the tail. */
    private static final int MAX_TRAILING_METADATA = 1024;

    private WalScanner() {
    }

    /**
     * Scans {@code dir}.
     *
     * @throws WalCorruptionException when a record fails its checks but valid records follow it
     */
    public static ScanResult scan(Path dir, RollCycle rollCycle, TimeProvider clock) {
        return scan(dir, rollCycle, clock, true);
    }

    /**
     * Scans {@code dir}, checking every record as {@link #scan(Path, RollCycle, TimeProvider)} does;
     * without {@code keepEntryPayloads} the entry records come back without their data (see
     * {@link RecordCodec#decode(byte[], int, boolean)}). Every record is read into one reused buffer.
     *
     * @throws WalCorruptionException when a record fails its checks but valid records follow it
     */
    public static ScanResult scan(Path dir, RollCycle rollCycle, TimeProvider clock, boolean keepEntryPayloads) {
        List<PositionedRecord> records = new ArrayList<>();
        byte[] raw = new byte[4096];
        int cycle = Integer.MIN_VALUE;
        Path file = null;
        TreeMap<Integer, Path> files = new TreeMap<>();
        String damage = "";
        long lastQueueIndex = -1;
        long lastEnd = -1;
        Path lastFile = null;
        try (SingleChronicleQueue q = ChronicleLog.openQueue(dir, rollCycle, clock, WalBlockSize.MAX_BYTES);
             ExcerptTailer t = q.createTailer().toStart()) {
            String bad = null;
            Path badFile = null;
            long badQueueIndex = -1;
            while (true) {
                int length;
                long queueIndex;
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    queueIndex = dc.index();
                    int documentCycle = rollCycle.toCycle(queueIndex);
                    if (documentCycle != cycle || file == null) {
                        // The tailer's file only changes with the cycle: look it up once per cycle.
                        file = t.currentFile().toPath();
                        cycle = documentCycle;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    lastEnd = bytes.readLimit();
                    length = (int) bytes.readRemaining();
                    if (length > raw.length) {
                        raw = new byte[Math.max(length, raw.length * 2)];
                    }
                    bytes.read(raw, 0, length);
                } catch (RuntimeException | AssertionError e) {
                    // Chronicle trips over damaged headers or index blocks: the tail is damaged.
                    damage = "chronicle cannot read past queue index " + Long.toHexString(lastQueueIndex) + ": " + e;
                    break;
                }
                WalRecord record;
                try {
                    record = RecordCodec.decode(raw, length, keepEntryPayloads);
                } catch (CorruptRecordException e) {
                    if (bad == null) {
                        bad = e.getMessage();
                        badFile = file;
                        badQueueIndex = queueIndex;
                    }
                    continue;
                }
                if (bad != null) {
                    throw new WalCorruptionException(badFile, lastRaftIndex(records),
                            "record at queue index " + Long.toHexString(badQueueIndex) + " (after the last valid"
                                    + " record) " + bad + ", yet valid records follow it at queue index "
                                    + Long.toHexString(queueIndex));
                }
                files.put(cycle, file);
                records.add(new PositionedRecord(queueIndex, cycle, record));
                lastQueueIndex = queueIndex;
                lastFile = file;
            }
            if (bad != null && damage.isEmpty()) {
                damage = "torn record at queue index " + Long.toHexString(badQueueIndex) + " in " + badFile + ": " + bad;
            }
            if (damage.isEmpty() && !records.isEmpty()) {
                damage = checkIndexEnd(q, lastQueueIndex);
            }
        }
        if (damage.isEmpty()) {
            damage = checkFiles(dir, files.size());
        }
        if (damage.isEmpty() && lastFile != null) {
            damage = checkBytesAfter(lastFile, lastEnd);
        }
        return new ScanResult(records, files, damage.isEmpty() ? TailState.CLEAN : TailState.DAMAGED, damage);
    }

    /** Chronicle's index structures must end where the data does, or appends would land past a gap. */
    private static String checkIndexEnd(SingleChronicleQueue q, long lastQueueIndex) {
        try {
            long indexed = q.lastIndex();
            return indexed == lastQueueIndex ? "" : "queue index structures end at " + Long.toHexString(indexed)
                    + " but the data ends at " + Long.toHexString(lastQueueIndex);
        } catch (RuntimeException | AssertionError e) {
            return "chronicle cannot find the end of the queue: " + e;
        }
    }

    private static long lastRaftIndex(List<PositionedRecord> records) {
        for (int i = records.size() - 1; i >= 0; i--) {
            if (records.get(i).record().type().isEntry()) {
                return records.get(i).record().index();
            }
        }
        return -1;
    }

    private static String checkFiles(Path dir, int cyclesWithRecords) {
        try (Stream<Path> s = Files.list(dir)) {
            long cycleFiles = s.filter(p -> p.getFileName().toString().endsWith(".cq4")).count();
            return cycleFiles > cyclesWithRecords
                    ? (cycleFiles - cyclesWithRecords) + " cycle file(s) in " + dir + " hold no valid record" : "";
        } catch (IOException e) {
            throw new WalCorruptionException("wal: cannot list " + dir + ": " + e);
        }
    }

    /**
     * Walks Chronicle's 4-byte document headers after the last valid record: only zeros, an
     * end-of-data marker or complete metadata (index blocks) may follow a clean end.
     */
    private static String checkBytesAfter(Path file, long position) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = position;
            for (int i = 0; i < MAX_TRAILING_METADATA; i++) {
                int header = readHeader(ch, pos);
                if (header == 0 && (pos & 3) != 0) {
                    pos = (pos + 3) & ~3L;
                    header = readHeader(ch, pos);
                }
                if (header == 0 || header == Wires.END_OF_DATA) {
                    return "";
                }
                if ((header & Wires.NOT_COMPLETE) != 0) {
                    return "half-written record at byte " + pos + " of " + file;
                }
                if ((header & Wires.META_DATA) == 0) {
                    return "unreadable record at byte " + pos + " of " + file;
                }
                pos += 4 + (header & Wires.LENGTH_MASK);
            }
            return "too many trailing metadata records after byte " + position + " of " + file;
        } catch (IOException e) {
            throw new WalCorruptionException("wal: cannot read " + file + ": " + e);
        }
    }

    private static int readHeader(FileChannel ch, long pos) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                break; // beyond the end of a cut file the bytes read as zeros
            }
        }
        return buf.getInt(0);
    }
}
