package io.keel.storage.raftlog;

import io.keel.storage.observe.StorageObserver;

import io.keel.raft.CompactedException;
import io.keel.raft.ConfState;
import io.keel.raft.Entry;
import io.keel.raft.HardState;
import io.keel.raft.InitialState;
import io.keel.raft.RaftStorage;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;
import io.keel.raft.UnavailableException;
import io.keel.storage.snap.HardStateFile;
import io.keel.storage.snap.SnapshotFiles;
import io.keel.storage.wal.ChronicleLog;
import io.keel.storage.wal.PositionedRecord;
import io.keel.storage.wal.RecordCodec;
import io.keel.storage.wal.Durability;
import io.keel.storage.wal.ScanResult;
import io.keel.storage.wal.WalCorruptionException;
import io.keel.storage.wal.WalRecord;
import io.keel.storage.wal.WalRecovery;
import io.keel.storage.wal.WalSyncException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The member's durable Raft log: a {@link RaftStorage} with exactly {@link io.keel.raft.MemoryStorage}'s
 * read semantics, backed by a Chronicle queue in {@code <data-dir>/member/wal} and snapshot and
 * hard-state files in {@code <data-dir>/member/snap}.
 *
 * <p>The server calls {@link #save} once per Raft Ready, before sending that Ready's messages:
 * entries and hard state are appended, then one durability barrier covers the whole batch. Reads
 * are answered from memory (term index, bounded entry cache); only old entries are read back from
 * the queue.
 *
 * <p>Errors: the {@link RaftStorage} methods throw the documented {@code CompactedException} and
 * {@code UnavailableException}. {@link WalSyncException} (a failed barrier) and
 * {@link WalCorruptionException} are fatal: the server must stop the member; after either, every
 * method throws {@link IllegalStateException}. {@link DataDirLockedException} from {@link #open}
 * means another member uses the directory.
 *
 * <p>Owned by the thread that drives the RawNode; not thread-safe. Hand-off to another thread
 * needs a happens-before edge (for example a queue), as the server's own threading provides.
 */
public final class DurableRaftStorage implements RaftLogStore, AutoCloseable {
    private final RaftLogConfig config;
    private final DataDirLock lock;
    private final ChronicleLog log;
    private final SnapshotFiles snapshots;
    private final HardStateFile hardStateFile;
    private final LogIndex index;
    private final CycleLedger ledger;
    private final EntryCache cache;
    private HardState hardState;
    /**
     * The current snapshot's metadata, with empty data: the data lives in its file (as large as
     * the store, so never kept in memory) and {@link #snapshot()} reads it back when asked.
     */
    private Snapshot snapshot;
    private String failure;
    private boolean closed;
    private volatile StorageObserver observer = StorageObserver.NONE;

    private DurableRaftStorage(RaftLogConfig config, DataDirLock lock, ChronicleLog log, SnapshotFiles snapshots,
                               HardStateFile hardStateFile, LogReplay.Recovered recovered) {
        this.config = config;
        this.lock = lock;
        this.log = log;
        this.snapshots = snapshots;
        this.hardStateFile = hardStateFile;
        this.index = recovered.index();
        this.ledger = recovered.ledger();
        this.hardState = recovered.hardState();
        this.snapshot = recovered.snapshot();
        this.cache = new EntryCache(config.entryCacheMaxEntries(), config.entryCacheMaxBytes());
    }

    /**
     * Locks the data directory, recovers the log (cutting a torn tail) and opens it for writing.
     *
     * @throws DataDirLockedException when another member holds the directory
     * @throws WalCorruptionException when the log is damaged before its durable point
     */
    public static DurableRaftStorage open(RaftLogConfig config) {
        config.validate();
        createDirectories(config);
        DataDirLock lock = DataDirLock.acquire(config.dataDir(), config.memberDir());
        try {
            ScanResult scan = WalRecovery.recover(config.walDir(), config.roll(), config.clock());
            SnapshotFiles snaps = new SnapshotFiles(config.snapDir());
            HardStateFile hsFile = new HardStateFile(config.snapDir());
            LogReplay.Recovered recovered = LogReplay.replay(config.walDir(), scan, snaps, hsFile);
            ChronicleLog log = ChronicleLog.open(config.walDir(), config.roll(), config.clock(), scan.cycleFiles(),
                    largestRecordBytes(scan));
            return new DurableRaftStorage(config, lock, log, snaps, hsFile, recovered);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The log maps chunks that can hold every record already in it (see WalBlockSize). */
    private static long largestRecordBytes(ScanResult scan) {
        long largest = 0;
        for (PositionedRecord r : scan.records()) {
            largest = Math.max(largest, RecordCodec.OVERHEAD_BYTES + (long) r.record().payload().length);
        }
        return largest;
    }

    private static void createDirectories(RaftLogConfig config) {
        for (Path dir : List.of(config.memberDir(), config.snapDir())) {
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectories(dir);
                } catch (IOException e) {
                    throw new WalSyncException("raftlog: cannot create " + dir, e);
                }
                Durability.forceDirectory(dir.getParent());
            }
        }
    }

    // ---- RaftStorage: reads, as MemoryStorage answers them ----

    /** From the in-memory index: no entry is read back from the queue (a restart calls it). */
    @Override
    public long[] confChangeIndexes(long lo, long hi) {
        checkUsable();
        return index.confChangeIndexes(lo, hi);
    }

    @Override
    public InitialState initialState() {
        checkUsable();
        return new InitialState(hardState, snapshot.metadata().confState());
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxSizeBytes) {
        checkUsable();
        if (lo <= index.offset()) {
            throw new CompactedException();
        }
        if (hi > index.lastIndex() + 1) {
            throw new UnavailableException();
        }
        if (lo > hi) {
            throw new IllegalArgumentException("invalid range [" + lo + "," + hi + ")");
        }
        List<Entry> out = new ArrayList<>();
        long size = 0;
        for (long i = lo; i < hi; i++) {
            Entry e = entry(i);
            size += e.sizeBytes();
            if (!out.isEmpty() && size > maxSizeBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public long term(long i) {
        checkUsable();
        return index.term(i);
    }

    @Override
    public long lastIndex() {
        checkUsable();
        return index.lastIndex();
    }

    @Override
    public long firstIndex() {
        checkUsable();
        return index.firstIndex();
    }

    @Override
    public Snapshot snapshot() {
        checkUsable();
        if (snapshot.isEmpty()) {
            return snapshot;
        }
        try {
            return snapshots.read(snapshots.nameOf(snapshot.metadata()));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** The current snapshot's position and configuration, without reading its data. */
    @Override
    public SnapshotMetadata snapshotMetadata() {
        checkUsable();
        return snapshot.metadata();
    }

    /** The hard state saved last (durable once the save that carried it returned with a barrier). */
    public HardState hardState() {
        checkUsable();
        return hardState;
    }

    // ---- the write side ----

    /** Plugs in what watches barrier times and bytes written (the server's metrics). Any thread. */
    public void setObserver(StorageObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
    }

    /**
     * Persists one Ready: appends {@code entries} (replacing any conflicting suffix through a
     * truncation marker), then {@code hardState} (null when unchanged), then, when
     * {@code mustSync}, one durability barrier for the whole batch. Entries already covered by the
     * snapshot are skipped, as {@code MemoryStorage.append} does.
     *
     * @throws IllegalArgumentException       when the entries leave a gap after the last index,
     *                                        are not contiguous, or the hard state goes backwards
     * @throws TruncationBelowCommitException when they would replace an entry at or below the commit index
     * @throws WalSyncException               when the barrier fails (fatal)
     */
    public void save(HardState newHardState, List<Entry> entries, boolean mustSync) {
        checkUsable();
        List<Entry> ents = uncovered(entries);
        if (newHardState != null) {
            checkForward(newHardState);
        }
        StorageObserver obs = observer;
        long bytesBefore = log.appendedBytes();
        try {
            if (!ents.isEmpty()) {
                appendEntries(ents);
            }
            if (newHardState != null && !newHardState.equals(hardState)) {
                log.append(WalRecord.ofHardState(newHardState));
                hardState = newHardState;
            }
            obs.walWritten(log.appendedBytes() - bytesBefore);
            if (mustSync) {
                long start = System.nanoTime();
                log.sync();
                obs.walFsync(System.nanoTime() - start);
            }
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    private List<Entry> uncovered(List<Entry> entries) {
        if (entries.isEmpty()) {
            return entries;
        }
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).index() != entries.get(i - 1).index() + 1) {
                throw new IllegalArgumentException("entries are not contiguous at " + entries.get(i).index());
            }
        }
        long first = index.firstIndex();
        long last = entries.get(entries.size() - 1).index();
        if (last < first) {
            return List.of();
        }
        List<Entry> ents = entries;
        if (first > ents.get(0).index()) {
            ents = ents.subList((int) (first - ents.get(0).index()), ents.size());
        }
        if (ents.get(0).index() > index.lastIndex() + 1) {
            throw new IllegalArgumentException("missing log entry [last: " + index.lastIndex() + ", append at: "
                    + ents.get(0).index() + "]");
        }
        return ents;
    }

    private void checkForward(HardState hs) {
        if (hs.term() < hardState.term() || hs.commit() < hardState.commit()) {
            throw new IllegalArgumentException("hard state goes backwards: " + hardState + " -> " + hs);
        }
    }

    private void appendEntries(List<Entry> ents) {
        long first = ents.get(0).index();
        if (first <= index.lastIndex()) {
            if (first <= hardState.commit()) {
                throw new TruncationBelowCommitException(first, hardState.commit());
            }
            log.append(WalRecord.truncate(first, ents.get(0).term()));
            index.truncateFrom(first);
            cache.truncateFrom(first);
        }
        for (Entry e : ents) {
            long queueIndex = log.append(WalRecord.ofEntry(e));
            index.append(e.index(), e.term(), queueIndex, e.type() == io.keel.raft.EntryType.CONF_CHANGE);
            ledger.noteEntry(log.cycleOf(queueIndex), e.index());
            cache.add(e);
        }
    }

    /**
     * Replaces the whole log with the leader's snapshot (a follower catching up). The snapshot file
     * is made durable first, then a marker in the log that replay honours.
     *
     * @throws IllegalStateException when {@code snap} is not newer than the current snapshot
     */
    public void applySnapshot(Snapshot snap) {
        checkUsable();
        if (snap.metadata().index() <= snapshot.metadata().index()) {
            throw new IllegalStateException("snapshot is out of date: " + snap.metadata().index()
                    + " <= " + snapshot.metadata().index());
        }
        try {
            recordSnapshot(snap, true);
            index.reset(snap.metadata().index(), snap.metadata().term());
            cache.clear();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * Records a snapshot of the applied state at {@code index} (which must be in the log) without
     * discarding entries; follow with {@link #compact(long)} to drop them.
     *
     * @throws IllegalStateException    when {@code index} is not newer than the current snapshot
     * @throws IllegalArgumentException when {@code index} is beyond the last index
     */
    public Snapshot createSnapshot(long snapIndex, ConfState confState, byte[] data) {
        checkUsable();
        if (snapIndex <= snapshot.metadata().index()) {
            throw new IllegalStateException("snapshot is out of date");
        }
        if (snapIndex > index.lastIndex()) {
            throw new IllegalArgumentException("snapshot " + snapIndex + " is beyond last index " + index.lastIndex());
        }
        Snapshot snap = new Snapshot(new SnapshotMetadata(confState, snapIndex, index.term(snapIndex)), data);
        try {
            recordSnapshot(snap, false);
        } catch (RuntimeException e) {
            throw fail(e);
        }
        return snap;
    }

    private void recordSnapshot(Snapshot snap, boolean replacesLog) {
        long start = System.nanoTime();
        snapshots.save(snap);
        observer.snapshotSaved(System.nanoTime() - start);
        long queueIndex = log.append(WalRecord.snapshot(snap.metadata().term(), snap.metadata().index(), replacesLog));
        log.sync();
        ledger.noteSnapshot(log.cycleOf(queueIndex), replacesLog);
        snapshot = new Snapshot(snap.metadata(), new byte[0]);
        snapshots.purge(config.maxSnapshotFiles());
    }

    /**
     * Discards entries up to and including {@code compactIndex}, which must be applied, and deletes
     * the queue's cycle files that the snapshot now covers entirely.
     *
     * @throws CompactedException       when {@code compactIndex} is already compacted
     * @throws IllegalArgumentException when it is beyond the last index
     */
    public void compact(long compactIndex) {
        checkUsable();
        if (compactIndex <= index.offset()) {
            throw new CompactedException();
        }
        if (compactIndex > index.lastIndex()) {
            throw new IllegalArgumentException("compact " + compactIndex + " is beyond last index " + index.lastIndex());
        }
        index.compactTo(compactIndex);
        cache.compactTo(compactIndex);
        try {
            deleteCoveredFiles();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    private void deleteCoveredFiles() {
        long covered = Math.min(index.offset(), snapshot.metadata().index());
        List<Integer> cycles = ledger.deletable(log.cycleFiles().keySet(), covered);
        if (cycles.isEmpty()) {
            return;
        }
        // The deleted files may hold the latest hard-state record: checkpoint it first.
        hardStateFile.save(hardState);
        log.deleteCycles(cycles);
        ledger.forget(cycles);
    }

    /** Number of queue cycle files the log occupies (for metrics and tests). */
    public int cycleFileCount() {
        checkUsable();
        return log.cycleFiles().size();
    }

    private Entry entry(long i) {
        Entry cached = cache.get(i);
        if (cached != null) {
            return cached;
        }
        WalRecord rec;
        try {
            rec = log.read(index.queueIndex(i));
        } catch (RuntimeException e) {
            throw fail(e);
        }
        if (!rec.type().isEntry() || rec.index() != i || rec.term() != index.term(i)) {
            throw fail(new WalCorruptionException("wal: record for entry " + index.term(i) + "/" + i + " in "
                    + config.walDir() + " is " + rec + "; the member must stop"));
        }
        return rec.toEntry();
    }

    private RuntimeException fail(RuntimeException e) {
        if (e instanceof WalSyncException || e instanceof WalCorruptionException) {
            failure = e.getMessage();
        }
        return e;
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("raftlog: storage in " + config.dataDir() + " is closed");
        }
        if (failure != null) {
            throw new IllegalStateException("raftlog: storage in " + config.dataDir() + " failed: " + failure);
        }
    }

    /** Closes the queue and releases the data-dir lock. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            log.close();
        } finally {
            lock.close();
        }
    }
}
