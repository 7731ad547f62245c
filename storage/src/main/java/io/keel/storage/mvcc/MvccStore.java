package io.keel.storage.mvcc;

import io.keel.storage.observe.StorageObserver;

import io.keel.storage.mvcc.backend.KeyValueCodec;
import io.keel.storage.mvcc.backend.LmdbBackend;
import io.keel.storage.mvcc.backend.RevisionKeys;
import io.keel.storage.mvcc.index.TreeIndex;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.lmdbjava.Txn;

/**
 * The MVCC key-value store on LMDB (etcd's mvcc store over bbolt). Entry class of
 * {@code io.keel.storage.mvcc}; owned by the server, one per member.
 *
 * <p>Threading: one applier thread writes, through {@link #beginWrite()} (one open write
 * transaction at a time; the applier commits each applied Raft entry as one). Any number of
 * threads read concurrently with {@link #range}, {@link #txn} (read-only), {@link #history},
 * {@link #hashKv} and the size getters. Readers never block the writer: each read takes the
 * published {@link ReadPoint}, then an LMDB read transaction (an MVCC snapshot, no lock), and
 * walks the concurrent index without a store-wide lock. A write transaction may be published
 * before its LMDB commit ({@link MvccWriteTxn#publish()}): readers then find its changes in the
 * read point until the commit has completed.
 *
 * <p>Deferred commit: a group write ({@link #beginGroupWrite()}) that is published may leave its
 * LMDB transaction open ({@link MvccWriteTxn#commitLater()}); the next group writes join it, and
 * the applier commits them all at once ({@link #commitPending()}), as etcd's backend commits its
 * batch transaction every 100 ms instead of per apply. The read point holds every change of the
 * open transaction meanwhile. Anything else that writes ({@link #beginWrite()}), and every
 * operation that needs LMDB to hold the whole state (sync, snapshot, hash, defragment, restore,
 * close), commits the open transaction first when called on its thread, or waits for it.
 *
 * <p>A shared/exclusive lock around the LMDB environment
 * is taken exclusively only by {@link #defragment()}, {@link #restore} and {@link #close()},
 * which, as in etcd, pause everything else. Physical compaction runs on the store's own
 * compactor thread in short batches.
 */
public final class MvccStore implements AutoCloseable {
    /** etcd's first revision: an empty store is at 1, its first write makes 2. */
    static final long INITIAL_REVISION = 1;

    private final MvccConfig config;
    private final ReentrantReadWriteLock envLock = new ReentrantReadWriteLock();
    private final Compactor compactor;
    private volatile LmdbBackend backend;
    private volatile TreeIndex index;
    /** The published revision and what of it is not in LMDB yet; replaced whole, never changed. */
    private volatile ReadPoint readPoint = ReadPoint.flushed(INITIAL_REVISION);
    /** Guards nothing but the wait for a flush ({@link #awaitFlushed}). */
    private final Object flushMonitor = new Object();
    /** Reads below it fail; -1 until the first compaction. Raised before the index is compacted. */
    private volatile long compactRev;
    private volatile long consistentIndex;
    private volatile long term;
    /** The consistent index a power loss cannot take back (see {@link #durableConsistentIndex()}). */
    private volatile long durableConsistentIndex;
    private volatile MvccWriteTxn openWrite;
    /** The LMDB transaction left open by {@link MvccWriteTxn#commitLater()}, null if none; it holds one read hold of {@code envLock}. */
    private volatile PendingCommit pending;
    /** Bumped whenever a snapshot replaces the content, so stale compaction jobs stop. */
    private volatile long backendEpoch;
    private volatile StorageObserver observer = StorageObserver.NONE;
    /**
     * The file's size after the last commit of the apply thread, defragment or open: the quota
     * check runs before every put and txn, and a stat of the file each time was a visible share of
     * a leader's CPU. The file only grows when a commit writes past its end.
     */
    private volatile long committedSizeBytes;

    private MvccStore(MvccConfig config) {
        this.config = config;
        this.compactor = new Compactor(this, config.compactionBatchLimit());
    }

    /** Opens or creates the store at {@code config.dbPath()}, rebuilding the index and resuming compaction. */
    public static MvccStore open(MvccConfig config) {
        config.validate();
        MvccStore store = new MvccStore(config);
        StoreFiles.removeLeftovers(config.dbPath());
        store.load();
        return store;
    }

    private void load() {
        backend = LmdbBackend.open(config.dbPath(), config.mapSizeBytes(), config.syncMode() == SyncMode.NO_META_SYNC,
                config.maxReaders(), config.auxBuckets());
        IndexLoader.Loaded loaded = IndexLoader.load(backend);
        index = loaded.index();
        long scheduled = loaded.scheduledCompactRev();
        compactRev = scheduled;
        readPoint = ReadPoint.flushed(Math.max(INITIAL_REVISION, Math.max(loaded.lastRevision(), scheduled)));
        consistentIndex = loaded.consistentIndex();
        term = loaded.term();
        committedSizeBytes = backend.sizeBytes();
        // What was read may still sit only in the page cache (the last run was killed): flush it
        // once, so everything the store starts from is on disk.
        backend.sync();
        durableConsistentIndex = consistentIndex;
        if (scheduled >= 0) {
            Set<Revision> keep = index.compact(scheduled);
            if (scheduled != loaded.finishedCompactRev()) {
                compactor.run(scheduled, keep, backendEpoch);
            }
        }
    }

    /** Plugs in what counts operations and times commits (the server's metrics). Any thread. */
    public void setObserver(StorageObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
    }

    StorageObserver observer() {
        return observer;
    }

    public MvccConfig config() {
        return config;
    }

    /** The current (highest published) revision. */
    public long revision() {
        return readPoint.rev();
    }

    /** The revision of the last compaction, -1 if none. */
    public long compactRevision() {
        return compactRev;
    }

    /** The Raft index of the last applied entry recorded by a commit (etcd's consistent_index), 0 if none. */
    public long consistentIndex() {
        return consistentIndex;
    }

    /**
     * The highest consistent index that is on disk for sure, i.e. survives a power loss, not only
     * a process crash: with {@link SyncMode#NO_META_SYNC} LMDB may lose the last commit (its meta
     * page is flushed by the next commit), so this is the index recorded by the commit before the
     * last; with {@link SyncMode#NO_SYNC} the index at the last {@link #sync()}. Equal to
     * {@link #consistentIndex()} right after {@link #sync()}. The Raft log must never be released
     * beyond it: on restart the entries after the store's index are replayed from the log.
     */
    public long durableConsistentIndex() {
        return durableConsistentIndex;
    }

    /** Flushes every commit, meta page included (one fsync): afterwards the whole state is durable. Applier thread. */
    public void sync() {
        commitPendingIfOwner();
        withBackend(b -> {
            long index = consistentIndex;
            b.sync();
            durableConsistentIndex = index;
            return null;
        });
    }

    /** The Raft term recorded with {@link #consistentIndex()}, 0 if none. */
    public long term() {
        return term;
    }

    /** A linearizable-at-call-time range at the current or a past revision. Any thread. */
    public RangeResponse range(RangeRequest r) {
        observer.mvccRange();
        return read((txn, point) -> {
            long cur = point.rev();
            RangeResponse resp = RangeEvaluator.range(index, rev -> read(point, txn, rev), r, cur, compactRev);
            checkNotCompactedMeanwhile(r.revision() <= 0 ? cur : r.revision());
            return resp;
        });
    }

    /** A read-only txn at the current revision. Any thread; writing txns go through {@link #beginWrite()}. */
    public TxnResponse txn(TxnRequest rt) {
        if (!rt.isReadOnly()) {
            throw new IllegalArgumentException("a txn that writes must run in a write transaction");
        }
        observer.mvccTxn();
        return read((txn, point) -> {
            long cur = point.rev();
            ReadView view = new ReadView(this, txn, point);
            TxnResponse resp = TxnEvaluator.execute(view, rt);
            checkNotCompactedMeanwhile(cur);
            return new TxnResponse(cur, resp.succeeded(), resp.responses());
        });
    }

    /**
     * Changes with main revision in {@code [fromRev, toRev]}, in order, at most {@code limit}
     * ({@code <= 0}: all), for watchers. Throws {@link CompactedException} if {@code fromRev} is below
     * the compact revision.
     */
    public List<Event> history(long fromRev, long toRev, int limit) {
        return read((txn, point) -> {
            if (fromRev < compactRev) {
                throw new CompactedException();
            }
            // The transaction may hold more than the point's flushed revision; what is above it
            // comes from the point, so nothing is read twice.
            List<Event> events = HistoryReader.read(backend, txn, fromRev, Math.min(toRev, point.flushedRev()), limit);
            point.appendUnflushed(events, Math.max(fromRev, point.flushedRev() + 1), toRev, limit);
            if (fromRev < compactRev) {
                throw new CompactedException();
            }
            return events;
        });
    }

    /**
     * Starts the one write transaction; applier thread only. It commits for real (its
     * {@link MvccWriteTxn#commit()} flushes), so a transaction left open by
     * {@link MvccWriteTxn#commitLater()} is committed first.
     */
    public MvccWriteTxn beginWrite() {
        if (openWrite != null) {
            throw new IllegalStateException("a write transaction is already open");
        }
        PendingCommit p = pending;
        if (p != null) {
            requireOwner(p);
            commitPending();
        }
        return beginTopLevel();
    }

    /**
     * Starts a key-value write that joins the LMDB transaction left open by earlier
     * {@link MvccWriteTxn#commitLater()} calls, if there is one (else a new one). Such a write may
     * only put and delete keys (no compaction, no auxiliary records): aborting it deletes what it
     * wrote from the shared transaction. Applier thread only.
     */
    public MvccWriteTxn beginGroupWrite() {
        if (openWrite != null) {
            throw new IllegalStateException("a write transaction is already open");
        }
        PendingCommit p = pending;
        if (p == null) {
            return beginTopLevel();
        }
        requireOwner(p);
        MvccWriteTxn txn = new MvccWriteTxn(this, backend, readPoint.rev(), p);
        openWrite = txn;
        return txn;
    }

    private MvccWriteTxn beginTopLevel() {
        envLock.readLock().lock();
        try {
            MvccWriteTxn txn = new MvccWriteTxn(this, backend, readPoint.rev(), null);
            openWrite = txn;
            return txn;
        } catch (RuntimeException e) {
            envLock.readLock().unlock();
            throw e;
        }
    }

    /** True while published changes wait in an open LMDB transaction for {@link #commitPending()}. */
    public boolean hasPendingCommit() {
        return pending != null;
    }

    /** {@link System#nanoTime()} when the open transaction was left open first; only if {@link #hasPendingCommit()}. */
    public long pendingSinceNanos() {
        PendingCommit p = pending;
        return p == null ? System.nanoTime() : p.sinceNanos;
    }

    /** Changes waiting in the open transaction (0 if none). */
    public int pendingChanges() {
        PendingCommit p = pending;
        return p == null ? 0 : p.changes.size();
    }

    /** Bytes of values waiting in the open transaction (0 if none). */
    public long pendingValueBytes() {
        PendingCommit p = pending;
        return p == null ? 0 : p.valueBytes;
    }

    /**
     * Commits the transaction left open by {@link MvccWriteTxn#commitLater()} (one fdatasync for
     * all its batches) and publishes its revision as flushed; nothing if there is none. On the
     * thread that opened it, with no write transaction open. A failure means the store must not be
     * used any more: readers have seen changes LMDB does not hold (the Raft log replays them).
     */
    public void commitPending() {
        PendingCommit p = pending;
        if (p == null) {
            return;
        }
        requireOwner(p);
        if (openWrite != null) {
            throw new IllegalStateException("a write transaction is open");
        }
        long start = System.nanoTime();
        try {
            p.txn.commit();
            observer.backendCommit(System.nanoTime() - start);
        } catch (RuntimeException e) {
            pending = null;
            p.txn.close();
            envLock.readLock().unlock();
            throw new IllegalStateException("the store could not commit changes it had published", e);
        }
        p.txn.close();
        pending = null;
        published(p.rev, p.consistentIndex, p.term);
        envLock.readLock().unlock();
    }

    /** Commits the open transaction if this thread opened it; another thread's is left to it. */
    private void commitPendingIfOwner() {
        PendingCommit p = pending;
        if (p != null && p.owner == Thread.currentThread()) {
            commitPending();
        }
    }

    private static void requireOwner(PendingCommit p) {
        if (p.owner != Thread.currentThread()) {
            throw new IllegalStateException("the open LMDB transaction belongs to " + p.owner.getName());
        }
    }

    /** Makes the whole state LMDB's: commits the open transaction on its own thread, or waits for its commit elsewhere. */
    private void flushedForReaders() {
        PendingCommit p = pending;
        if (p == null) {
            return;
        }
        if (p.owner == Thread.currentThread()) {
            commitPending();
        } else {
            awaitFlushed(revision());
        }
    }

    /** Convenience: one put as its own write transaction recording {@code raftIndex}. */
    public PutResponse put(PutRequest p, long raftIndex, long raftTerm) {
        try (MvccWriteTxn w = beginWrite()) {
            PutResponse resp = w.put(p);
            w.setConsistentIndex(raftIndex, raftTerm);
            w.commit();
            return resp;
        }
    }

    /**
     * etcd's HashKV at {@code rev} (0: the current revision, reported as the current one). Hashes
     * only what LMDB holds, so a revision published but not yet flushed is waited for (the commit
     * in flight, or the open transaction's deferred commit, at most). The revision to wait for is
     * fixed before waiting, so a stream of writes cannot keep it waiting. Any thread; on the
     * applier's, an open transaction is committed first.
     */
    public HashKvResult hashKv(long rev) {
        commitPendingIfOwner();
        while (true) {
            long target = rev == 0 ? revision() : Math.min(rev, revision());
            awaitFlushed(target);
            HashKvResult result = read((txn, point) -> {
                // For 0, the revision waited for: peers compare hashes, and their header revisions
                // with this one, at the revision a member had published (as etcd's HashByRev).
                long cur = rev == 0 ? target : point.rev();
                if (rev > point.flushedRev() && rev <= cur) {
                    return null; // flushed meanwhile only in a newer transaction: read again
                }
                while (true) {
                    long compact = compactRev;
                    if (rev > 0 && rev < compact) {
                        throw new CompactedException();
                    }
                    if (rev > cur) {
                        throw new FutureRevisionException();
                    }
                    long at = rev == 0 ? cur : rev;
                    Set<Revision> keep = index.keep(at);
                    if (compact == compactRev) {
                        return new HashKvResult(KvHasher.hash(backend, txn, compact, at, keep), compact, at, cur);
                    }
                }
            });
            if (result != null) {
                return result;
            }
        }
    }

    /** Blocks until every revision up to {@code rev} is in LMDB. Never on the applier thread. */
    private void awaitFlushed(long rev) {
        synchronized (flushMonitor) {
            while (readPoint.flushedRev() < rev) {
                try {
                    flushMonitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a store commit", e);
                }
            }
        }
    }

    /** Bytes the database file takes (etcd's db size). */
    public long dbSizeBytes() {
        return read((txn, point) -> backend.sizeBytes());
    }

    /** Bytes of the database in use, free pages excluded (etcd's db size in use). */
    public long dbSizeInUseBytes() {
        return read((txn, point) -> backend.sizeInUseBytes());
    }

    /**
     * True if a write costing {@code costBytes} fits in the quota (see {@link QuotaCost}), judged
     * by the file's size after the last commit (as etcd's quota reads its backend's size). Any thread.
     */
    public boolean quotaAvailable(long costBytes) {
        return costBytes == 0 || committedSizeBytes + costBytes <= config.quotaBackendBytes();
    }

    /** Reads an auxiliary database. Any thread. */
    public List<Map.Entry<byte[], byte[]>> readAux(String bucket) {
        return read((txn, point) -> backend.listAux(txn, bucket));
    }

    /** Copy-compacts the file (write temp, fsync, rename, fsync dir), pausing every other operation. */
    public DefragmentResult defragment() {
        return exclusive(() -> {
            long before = backend.sizeBytes();
            long inUseBefore = backend.sizeInUseBytes();
            backend = StoreFiles.defragment(backend, this::reopenBackend);
            durableConsistentIndex = consistentIndex; // the copy was fsynced before it replaced the file
            committedSizeBytes = backend.sizeBytes();
            return new DefragmentResult(before, backend.sizeBytes(), inUseBefore, backend.sizeInUseBytes());
        });
    }

    /**
     * Writes a snapshot stream (database bytes padded to 512, then SHA-256) of the whole state: a
     * transaction left open by {@link MvccWriteTxn#commitLater()} is committed first (on its
     * thread) or waited for (elsewhere), as etcd commits its batch before a snapshot. Any thread.
     */
    public long snapshot(java.io.OutputStream out) {
        flushedForReaders();
        return read((txn, point) -> StoreFiles.snapshot(backend, out));
    }

    /** Replaces the whole store with a verified snapshot stream (Raft snapshot install), rebuilding the index. */
    public void restore(java.io.InputStream in) {
        exclusive(() -> {
            StoreFiles.restore(in, config.dbPath(), backend::close);
            backendEpoch++;
            load();
            return null;
        });
    }

    /** Writes a verified snapshot stream to {@code dbPath} for a store not yet open (etcdctl snapshot restore). */
    public static void restoreFile(java.io.InputStream in, java.nio.file.Path dbPath) {
        StoreFiles.restore(in, dbPath, () -> { });
    }

    @Override
    public void close() {
        compactor.close();
        exclusive(() -> {
            backend.close();
            return null;
        });
    }

    // --- internal to the package ---------------------------------------------------------------

    long backendEpoch() {
        return backendEpoch;
    }

    TreeIndex index() {
        return index;
    }

    <T> T withBackend(Function<LmdbBackend, T> work) {
        envLock.readLock().lock();
        try {
            return work.apply(backend);
        } finally {
            envLock.readLock().unlock();
        }
    }

    KeyValue read(ReadPoint point, Txn<byte[]> txn, Revision rev) {
        if (point.isUnflushed(rev)) {
            return point.unflushedPut(rev);
        }
        byte[] v = backend.getRevision(txn, RevisionKeys.encode(rev, false));
        return v == null ? null : KeyValueCodec.decode(v);
    }

    /** Makes {@code changes} (revision order, ending at {@code rev}) visible before their LMDB commit. */
    void publishedUnflushed(long rev, List<Event> changes) {
        PendingCommit p = pending;
        List<Event> all = changes;
        if (p != null && !p.changes.isEmpty()) {
            // A write joined to the open transaction: its earlier batches are not in LMDB either.
            all = new java.util.ArrayList<>(p.changes.size() + changes.size());
            all.addAll(p.changes);
            all.addAll(changes);
        }
        readPoint = ReadPoint.unflushed(rev, readPoint.flushedRev(), all);
    }

    /** A published group write left its LMDB transaction open (its read hold stays with it). */
    void deferred(MvccWriteTxn txn, Txn<byte[]> lmdbTxn, long rev, List<Event> changes, long index, long raftTerm) {
        PendingCommit p = pending;
        if (p == null) {
            p = new PendingCommit(lmdbTxn, System.nanoTime());
        } else if (p.txn != lmdbTxn) {
            throw new IllegalStateException("a second LMDB transaction cannot be left open");
        }
        p.add(rev, changes, index, raftTerm);
        pending = p;
        if (openWrite == txn) {
            openWrite = null;
        }
    }

    /** A write joined to the open transaction was undone inside it; the transaction stays open. */
    void joinedAborted(MvccWriteTxn txn) {
        if (openWrite == txn) {
            openWrite = null;
        }
    }

    /** The open transaction cannot be committed any more (a write joined to it failed half-undone): drop it. */
    void abandonPending() {
        PendingCommit p = pending;
        if (p == null) {
            return;
        }
        pending = null;
        try {
            p.txn.abort();
            p.txn.close();
        } finally {
            envLock.readLock().unlock();
        }
    }

    /** A write transaction's LMDB commit completed: everything up to {@code rev} is in LMDB. */
    void published(long rev, long appliedIndex, long appliedTerm) {
        if (config.syncMode() == SyncMode.NO_META_SYNC) {
            // This commit's fdatasync also flushed the previous commit's meta page.
            durableConsistentIndex = consistentIndex;
        }
        if (appliedIndex >= 0) {
            consistentIndex = appliedIndex;
            term = appliedTerm;
        }
        committedSizeBytes = backend.sizeBytes();
        synchronized (flushMonitor) {
            readPoint = ReadPoint.flushed(rev);
            flushMonitor.notifyAll();
        }
    }

    void compactAfterCommit(long rev, CompletableFuture<Void> done) {
        compactRev = rev; // fence readers before the index loses revisions
        Set<Revision> keep = index.compact(rev);
        compactor.schedule(rev, keep, done);
    }

    /** A write transaction committed (a joined one: the open transaction with it) or aborted: its read hold ends. */
    void writeFinished(MvccWriteTxn txn) {
        if (openWrite == txn) {
            openWrite = null;
            if (txn.joined()) {
                pending = null;
            }
            envLock.readLock().unlock();
        }
    }

    private LmdbBackend reopenBackend() {
        return LmdbBackend.open(config.dbPath(), config.mapSizeBytes(), config.syncMode() == SyncMode.NO_META_SYNC,
                config.maxReaders(), config.auxBuckets());
    }

    private void checkNotCompactedMeanwhile(long readRev) {
        if (readRev < compactRev) {
            throw new CompactedException();
        }
    }

    /** Takes the read point, then the read transaction: the snapshot then holds at least the point's flushed revision. */
    private <T> T read(ReadWork<T> work) {
        envLock.readLock().lock();
        try {
            ReadPoint point = readPoint;
            try (Txn<byte[]> txn = backend.readTxn()) {
                return work.apply(txn, point);
            }
        } finally {
            envLock.readLock().unlock();
        }
    }

    @FunctionalInterface
    private interface ReadWork<T> {
        T apply(Txn<byte[]> txn, ReadPoint point);
    }

    private <T> T exclusive(java.util.function.Supplier<T> work) {
        // On the applier's thread the open transaction holds a read hold: commit it first. Any
        // other thread waits below until the applier has committed it.
        commitPendingIfOwner();
        envLock.writeLock().lock();
        try {
            return work.get();
        } finally {
            envLock.writeLock().unlock();
        }
    }
}
