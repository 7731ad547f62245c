package io.keel.storage.wal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.WriteAfterEOFException;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The write-ahead log's Chronicle queue: appends encoded records, makes them durable with one
 * barrier ({@link #sync()}), reads single records back by queue index, and deletes whole old
 * cycle files. Recovery ({@link WalRecovery}) must have run on the directory first.
 *
 * <p>The files are mapped in chunks of {@link WalBlockSize} (2 MiB unless a record needs more),
 * so the pages written and synced behind the appender leave the member's RSS once it moves on.
 *
 * <p>Owned by the storage's single writer thread; not thread-safe. Chronicle's own
 * single-thread checks are off because ownership may pass between threads (open, then serve).
 */
public final class ChronicleLog implements AutoCloseable {
    /** Chronicle's table store: the cycle listing and the appender lock. */
    static final String METADATA_FILE = "metadata.cq4t";

    private final Path dir;
    private final RollCycle rollCycle;
    private SingleChronicleQueue queue;
    private ExcerptAppender appender;
    private ExcerptTailer reader;
    /** Cycle files written since the last barrier, with an open channel to force each. */
    private final Map<Integer, FileChannel> dirty = new LinkedHashMap<>();
    private final Map<Integer, FileChannel> channels = new LinkedHashMap<>();
    /** The file of every cycle that holds records, ascending. */
    private final TreeMap<Integer, Path> cycleFiles;
    private boolean directoryDirty;
    /** The cycle of the last append, to notice Chronicle's rolls; MIN_VALUE before the first. */
    private int lastAppendCycle = Integer.MIN_VALUE;
    private Set<Integer> lastBarrier = Set.of();

    private ChronicleLog(Path dir, RollCycle rollCycle, SingleChronicleQueue queue, SortedMap<Integer, Path> knownCycles) {
        this.dir = dir;
        this.rollCycle = rollCycle;
        this.queue = queue;
        this.cycleFiles = new TreeMap<>(knownCycles);
        // The first append may roll out of the newest file of the previous run.
        this.lastAppendCycle = cycleFiles.isEmpty() ? Integer.MIN_VALUE : cycleFiles.lastKey();
        this.appender = queue.createAppender();
        this.appender.singleThreadedCheckDisabled(true);
        this.reader = newReader();
    }

    /**
     * Opens (creating if needed) the queue in {@code dir}, whose cycle files as found by recovery
     * are {@code knownCycles}.
     */
    public static ChronicleLog open(Path dir, RollCycle rollCycle, TimeProvider clock,
                                    SortedMap<Integer, Path> knownCycles) {
        return open(dir, rollCycle, clock, knownCycles, 0);
    }

    /**
     * As {@link #open(Path, RollCycle, TimeProvider, SortedMap)}, mapping chunks large enough for
     * a record of {@code largestRecordBytes} (the largest the recovery scan found): a record is
     * only readable through a chunk whose overlap holds it.
     */
    public static ChronicleLog open(Path dir, RollCycle rollCycle, TimeProvider clock,
                                    SortedMap<Integer, Path> knownCycles, long largestRecordBytes) {
        try {
            boolean created = !Files.isDirectory(dir);
            Files.createDirectories(dir);
            if (created) {
                Durability.forceDirectory(dir.getParent());
            }
        } catch (IOException e) {
            throw new WalSyncException("wal: cannot create " + dir, e);
        }
        return new ChronicleLog(dir, rollCycle,
                openQueue(dir, rollCycle, clock, WalBlockSize.forRecord(largestRecordBytes)), knownCycles);
    }

    /**
     * Opens the queue on a clock that never runs behind its newest cycle file nor backwards
     * ({@link CycleFloorClock}), so appends always go to the newest cycle or a later one.
     */
    static SingleChronicleQueue openQueue(Path dir, RollCycle rollCycle, TimeProvider clock, long blockSize) {
        CycleFloorClock floorClock = clock instanceof CycleFloorClock floor ? floor : new CycleFloorClock(clock);
        SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).rollCycle(rollCycle)
                .blockSize(blockSize).timeProvider(floorClock).build();
        queue.refreshDirectoryListing();
        int newest = queue.lastCycle();
        if (newest != Integer.MIN_VALUE && newest != Integer.MAX_VALUE) {
            floorClock.raiseTo(queue.epoch() + (long) newest * rollCycle.lengthInMillis());
        }
        return queue;
    }

    public Path directory() {
        return dir;
    }

    public RollCycle rollCycle() {
        return queue.rollCycle();
    }

    /** Record bytes appended since open (for the WAL write metric); writer thread only. */
    private long appendedBytes;

    /** Record bytes appended since this log was opened. Writer thread only. */
    public long appendedBytes() {
        return appendedBytes;
    }

    /** Appends one record (not yet durable) and returns its queue index. */
    public long append(WalRecord record) {
        byte[] encoded = RecordCodec.encode(record);
        if (encoded.length > WalBlockSize.maxRecordBytes(queue.blockSize())) {
            remap(WalBlockSize.forRecord(encoded.length));
        }
        appendedBytes += encoded.length;
        try (DocumentContext dc = openDocument()) {
            dc.wire().bytes().write(encoded);
        }
        long index = appender.lastIndexAppended();
        int cycle = queue.rollCycle().toCycle(index);
        if (!dirty.containsKey(cycle)) {
            if (lastAppendCycle != Integer.MIN_VALUE && lastAppendCycle != cycle) {
                // Chronicle rolled: it wrote the end-of-cycle marker into the previous file, and a
                // reader only moves on to this file past that marker. The barrier that makes this
                // record durable must make the marker durable too.
                markRolledFromDirty(lastAppendCycle);
            }
            File file = appender.currentFile();
            cycleFiles.putIfAbsent(cycle, file.toPath());
            dirty.put(cycle, channelFor(cycle, file));
        }
        lastAppendCycle = cycle;
        return index;
    }

    private DocumentContext openDocument() {
        try {
            return appender.writingDocument();
        } catch (WriteAfterEOFException e) {
            // The newest cycle file is finished (a roll killed after the end marker, before the
            // next file existed) and the clock is not past it: start the next cycle instead.
            int finished = queue.cycle();
            ((CycleFloorClock) queue.time()).raiseTo(queue.epoch() + (long) (finished + 1) * queue.rollCycle().lengthInMillis());
            return appender.writingDocument();
        }
    }

    /**
     * The durability barrier: msync through Chronicle, then fsync of every cycle file written since
     * the last barrier, then of the directory if a cycle file was created.
     *
     * @throws WalSyncException when any step fails; the member must stop
     */
    public void sync() {
        try {
            appender.sync();
            for (FileChannel ch : dirty.values()) {
                ch.force(false);
            }
        } catch (IOException | RuntimeException e) {
            throw new WalSyncException("wal: sync of " + dir + " failed", e);
        }
        lastBarrier = new TreeSet<>(dirty.keySet());
        dirty.clear();
        if (directoryDirty) {
            // A new cycle file: its directory entry, and Chronicle's listing of cycles, must survive.
            Path listing = dir.resolve(METADATA_FILE);
            if (Files.exists(listing)) {
                Durability.forceFile(listing);
            }
            Durability.forceDirectory(dir);
            directoryDirty = false;
        }
    }

    /**
     * Reads the record at {@code queueIndex}.
     *
     * @throws WalCorruptionException when it is missing or fails its checks
     */
    public WalRecord read(long queueIndex) {
        if (!reader.moveToIndex(queueIndex)) {
            throw new WalCorruptionException("wal: record at queue index " + Long.toHexString(queueIndex)
                    + " is missing from " + dir);
        }
        try (DocumentContext dc = reader.readingDocument()) {
            if (!dc.isPresent()) {
                throw new WalCorruptionException("wal: record at queue index " + Long.toHexString(queueIndex)
                        + " is missing from " + dir);
            }
            Bytes<?> bytes = dc.wire().bytes();
            byte[] raw = new byte[(int) bytes.readRemaining()];
            bytes.read(raw);
            try {
                return RecordCodec.decode(raw);
            } catch (CorruptRecordException e) {
                throw new WalCorruptionException("wal: record at queue index " + Long.toHexString(queueIndex)
                        + " in " + reader.currentFile() + " is corrupt: " + e.getMessage());
            }
        }
    }

    /** The cycle of a queue index. */
    public int cycleOf(long queueIndex) {
        return queue.rollCycle().toCycle(queueIndex);
    }

    /** The cycles that hold records, ascending, with their files. */
    public SortedMap<Integer, Path> cycleFiles() {
        return Collections.unmodifiableSortedMap(cycleFiles);
    }

    /**
     * Deletes the files of {@code cycles}, which the caller has proven are covered by a durable
     * snapshot and hard-state checkpoint, then fsyncs the directory. Never the last cycle.
     */
    public void deleteCycles(Collection<Integer> cycles) {
        if (cycles.isEmpty()) {
            return;
        }
        reader.close();
        for (int c : cycles) {
            if (c >= cycleFiles.lastKey()) {
                throw new IllegalArgumentException("wal: refusing to delete the last cycle " + c);
            }
            closeChannel(c);
            Path file = cycleFiles.remove(c);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new WalSyncException("wal: cannot delete " + file, e);
            }
        }
        queue.refreshDirectoryListing();
        Durability.forceDirectory(dir);
        reader = newReader();
    }

    /**
     * Reopens the queue with larger chunks, for a record the current ones cannot hold. What was
     * written through the old mapping stays in the page cache; the next barrier's fsync of the
     * cycle file (its channel is kept in {@link #dirty}) makes it durable with the new record.
     */
    private void remap(long blockSize) {
        appender.sync();
        reader.close();
        appender.close();
        TimeProvider clock = queue.time();
        queue.close();
        queue = openQueue(dir, rollCycle, clock, blockSize);
        appender = queue.createAppender();
        appender.singleThreadedCheckDisabled(true);
        reader = newReader();
    }

    /** The chunk size the cycle files are mapped with (tests check it grows for a large record). */
    long blockSize() {
        return queue.blockSize();
    }

    private ExcerptTailer newReader() {
        ExcerptTailer t = queue.createTailer();
        t.singleThreadedCheckDisabled(true);
        return t;
    }

    private void markRolledFromDirty(int cycle) {
        Path file = cycleFiles.get(cycle);
        if (dirty.containsKey(cycle) || file == null || !Files.exists(file)) {
            return;
        }
        FileChannel ch = channels.get(cycle);
        if (ch == null) {
            try {
                ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new WalSyncException("wal: cannot open " + file + " to force it", e);
            }
            channels.put(cycle, ch);
        }
        dirty.put(cycle, ch);
    }

    /** Cycles whose files the last barrier forced (tests check the barrier's reach). Writer thread only. */
    Set<Integer> lastBarrierCycles() {
        return Collections.unmodifiableSet(lastBarrier);
    }

    private FileChannel channelFor(int cycle, File file) {
        FileChannel ch = channels.get(cycle);
        if (ch == null) {
            try {
                ch = FileChannel.open(file.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new WalSyncException("wal: cannot open " + file + " to force it", e);
            }
            channels.put(cycle, ch);
            // A cycle we have not written before may be a file Chronicle just created.
            directoryDirty = true;
            channels.keySet().stream().filter(c -> c < cycle && !dirty.containsKey(c)).toList()
                    .forEach(this::closeChannel);
        }
        return ch;
    }

    private void closeChannel(int cycle) {
        FileChannel ch = channels.remove(cycle);
        dirty.remove(cycle);
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // Nothing buffered in the channel itself; the data went through the mapping.
            }
        }
    }

    @Override
    public void close() {
        try {
            for (FileChannel ch : channels.values()) {
                ch.close();
            }
        } catch (IOException e) {
            // Closing a read/write channel with no buffered state cannot lose data.
        }
        channels.clear();
        dirty.clear();
        reader.close();
        appender.close();
        queue.close();
    }
}
