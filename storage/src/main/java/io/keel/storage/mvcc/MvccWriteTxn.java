package io.keel.storage.mvcc;

import io.keel.storage.mvcc.backend.KeyValueCodec;
import io.keel.storage.mvcc.backend.LmdbBackend;
import io.keel.storage.mvcc.backend.RevisionKeys;
import io.keel.storage.mvcc.index.IndexEntry;
import io.keel.storage.mvcc.index.KeyIndex;
import io.keel.storage.mvcc.index.UndoLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.lmdbjava.Txn;

/**
 * One atomic write: the key-value changes of one applied Raft entry (all at one main revision,
 * each change at the next sub revision), the server's auxiliary records, the consistent index and
 * term, and optionally a compaction, committed together in one LMDB transaction. Obtained from
 * {@link MvccStore#beginWrite()}. Confined to the applier thread that began it: at most one is
 * open at a time. Closing without {@link #commit()} aborts and leaves the index unchanged.
 *
 * <p>Group commit: {@link #finishEntry()} ends one applied entry and starts the next in the same
 * LMDB transaction (the next main revision), so a busy applier pays one commit (one fdatasync)
 * for a batch of entries. Nothing of the batch is visible to readers before {@link #commit()}, so
 * the server replies to the batch's clients after it.
 *
 * <p>Publish before commit: {@link #publish()} ends the writing and makes the changes visible to
 * readers at once (they read them from the store's {@link ReadPoint}); {@link #commit()} then
 * writes them to LMDB. The server uses it where the Raft log already holds the entries durably
 * (etcd replies before its backend commits, too): a crash between the two loses nothing, because
 * the entries after the store's consistent index are applied again from the log. A published
 * transaction can no longer be aborted; closing it commits it.
 *
 * <p>Commit later: a published transaction begun by {@link MvccStore#beginGroupWrite()} may leave
 * its LMDB transaction open instead ({@link #commitLater()}); later group writes join it and the
 * store commits them together ({@link MvccStore#commitPending()}). A joined write may only put and
 * delete keys: aborting it deletes the revision records it wrote from the shared transaction.
 */
public final class MvccWriteTxn implements AutoCloseable, TxnView {
    static final String CONSISTENT_INDEX = "consistent_index";
    static final String TERM = "term";

    private final MvccStore store;
    private final LmdbBackend backend;
    private final Txn<byte[]> txn;
    /** The open transaction this write joined ({@link MvccStore#beginGroupWrite()}), or null for its own. */
    private final PendingCommit joined;
    /** Revision records written, for undoing a joined write inside the shared transaction. */
    private final List<byte[]> written;
    private final UndoLog undo;
    private final List<Event> changes = new ArrayList<>();
    /** Index in {@code changes} where the current entry's changes start. */
    private int entryStart;
    private long entryBeginRev;
    private long consistentIndex = -1;
    private long term = -1;
    private long compactTo = -1;
    /** Auxiliary records are read from LMDB only, so such a transaction cannot be published early. */
    private boolean auxWritten;
    /** Compactions scheduled in this transaction, in order; each runs after the commit. */
    private final List<Map.Entry<Long, CompletableFuture<Void>>> compactions = new ArrayList<>();
    private boolean finished;
    /** Set by {@link #publish()}: no more writes; the commit only remains. */
    private boolean published;
    /** Set when an operation failed half-way; the transaction can then only be aborted. */
    private RuntimeException poisoned;

    MvccWriteTxn(MvccStore store, LmdbBackend backend, long beginRev, PendingCommit joined) {
        this.store = store;
        this.backend = backend;
        this.entryBeginRev = beginRev;
        this.joined = joined;
        this.txn = joined != null ? joined.txn : backend.writeTxn();
        this.written = joined != null ? new ArrayList<>() : null;
        this.undo = new UndoLog(store.index());
    }

    /** True if this write shares the LMDB transaction left open by earlier writes. */
    boolean joined() {
        return joined != null;
    }

    private void putRevision(byte[] key, byte[] value) {
        backend.putRevision(txn, key, value);
        if (written != null) {
            written.add(key);
        }
    }

    /** The revision before the current entry (etcd's TxnWrite.Rev()). */
    @Override
    public long beginRevision() {
        return entryBeginRev;
    }

    /** The revision the current entry's changes get; equal to {@link #beginRevision()} while it has none. */
    public long revision() {
        return entryChanges() == 0 ? entryBeginRev : entryBeginRev + 1;
    }

    private int entryChanges() {
        return changes.size() - entryStart;
    }

    /**
     * Ends the current applied entry: later operations belong to the next entry and take the next
     * main revision (if this entry changed anything). Returns the finished entry's revision.
     */
    public long finishEntry() {
        ensureWritable();
        long rev = revision();
        entryBeginRev = rev;
        entryStart = changes.size();
        return rev;
    }

    @Override
    public long compactRevision() {
        return store.compactRevision();
    }

    /** A range that sees this txn's own writes. */
    @Override
    public RangeResponse range(RangeRequest r) {
        ensureOpen();
        return RangeEvaluator.range(store.index(), this::read, r, revision(), store.compactRevision());
    }

    @Override
    public PutResponse put(PutRequest p) {
        ensureWritable();
        store.observer().mvccPut();
        KeyValue prev = null;
        if (p.prevKv() || p.ignoreValue() || p.ignoreLease()) {
            List<KeyValue> found = range(RangeRequest.builder(p.key()).build()).kvs();
            prev = found.isEmpty() ? null : found.get(0);
            if ((p.ignoreValue() || p.ignoreLease()) && prev == null) {
                throw new KeyNotFoundException();
            }
        }
        byte[] value = p.ignoreValue() ? prev.value() : p.value();
        long lease = p.ignoreLease() ? prev.lease() : p.lease();
        long rev = entryBeginRev + 1;
        IndexEntry existing = store.index().get(p.key(), rev);
        long created = existing == null ? rev : existing.created().main();
        long version = (existing == null ? 0 : existing.version()) + 1;
        Revision at = new Revision(rev, entryChanges());
        KeyValue kv = new KeyValue(p.key(), created, rev, version, value, lease);
        putRevision(RevisionKeys.encode(at, false), KeyValueCodec.encode(kv));
        store.index().put(p.key(), at, undo);
        changes.add(new Event(Event.Type.PUT, kv, at));
        return new PutResponse(rev, p.prevKv() ? prev : null);
    }

    @Override
    public DeleteRangeResponse deleteRange(DeleteRangeRequest d) {
        ensureWritable();
        store.observer().mvccDelete();
        RangeRequest scope = RangeRequest.builder(d.key()).rangeEnd(d.rangeEnd()).build();
        // As etcd: the keys come from the index; their values are read only for prev_kv (a watcher's
        // prev_kv is read when its event is sent, and the lessor knows each key's lease).
        List<KeyValue> prev = d.prevKv() ? range(scope).kvs() : List.of();
        List<KeyIndex> live = store.index().liveNow(scope.keyRange());
        long rev = entryBeginRev + 1;
        for (KeyIndex ki : live) {
            Revision at = new Revision(rev, entryChanges());
            putRevision(RevisionKeys.encode(at, true), KeyValueCodec.encode(new KeyValue(ki.key(), 0, 0, 0, null, 0)));
            boolean removed = store.index().tombstone(ki, at, undo);
            assert removed : "the index listed a key it cannot delete";
            changes.add(new Event(Event.Type.DELETE, new KeyValue(ki.key(), 0, rev, 0, null, 0), at));
        }
        long reported = entryChanges() == 0 ? entryBeginRev : rev;
        return new DeleteRangeResponse(reported, live.size(), prev);
    }

    /**
     * Runs a txn with etcd's semantics; its response carries this entry's revision. An
     * {@link MvccException} from the checks leaves the transaction untouched and usable; one after
     * the txn began writing (a put with ignore_value after a delete of the same key in the same
     * txn, where etcd panics) poisons it: {@link #commit()} then refuses and the caller must abort.
     */
    public TxnResponse txn(TxnRequest rt) {
        ensureWritable();
        store.observer().mvccTxn();
        int before = changes.size();
        try {
            TxnResponse resp = TxnEvaluator.execute(this, rt);
            return new TxnResponse(revision(), resp.succeeded(), resp.responses());
        } catch (RuntimeException e) {
            if (changes.size() != before) {
                poisoned = e;
            }
            throw e;
        }
    }

    /**
     * Schedules a compaction at {@code rev}, recorded in this transaction; the index is compacted
     * at commit and the backend afterwards on the store's compactor thread. The future completes
     * when the space is reclaimed (etcd's physical compaction). Throws {@link CompactedException} at
     * or below the current compaction and {@link FutureRevisionException} above the current revision.
     */
    public CompletableFuture<Void> compact(long rev) {
        ensureWritable();
        ensureOwnTransaction();
        long floor = Math.max(store.compactRevision(), compactTo);
        if (rev <= floor) {
            throw new CompactedException();
        }
        if (rev > entryBeginRev) {
            throw new FutureRevisionException();
        }
        compactTo = rev;
        backend.putMeta(txn, Compactor.SCHEDULED, rev);
        CompletableFuture<Void> done = new CompletableFuture<>();
        compactions.add(Map.entry(rev, done));
        return done;
    }

    /** Records the Raft index (and term) this transaction applies, etcd's consistent_index. */
    public void setConsistentIndex(long index, long raftTerm) {
        ensureWritable();
        if (index < 0 || raftTerm < 0) {
            throw new IllegalArgumentException("index and term must be non-negative");
        }
        if (index < store.consistentIndex()) {
            throw new IllegalArgumentException("consistent index would go back from " + store.consistentIndex()
                    + " to " + index);
        }
        consistentIndex = index;
        term = raftTerm;
    }

    public void putAux(String bucket, byte[] key, byte[] value) {
        ensureWritable();
        ensureOwnTransaction();
        auxWritten = true;
        backend.putAux(txn, bucket, key, value);
    }

    public void deleteAux(String bucket, byte[] key) {
        ensureWritable();
        ensureOwnTransaction();
        auxWritten = true;
        backend.deleteAux(txn, bucket, key);
    }

    /** Reads an aux record, seeing this txn's own writes. */
    public byte[] getAux(String bucket, byte[] key) {
        ensureOpen();
        return backend.getAux(txn, bucket, key);
    }

    /** The changes so far, in revision order (for watchers, after commit). */
    public List<Event> changes() {
        return List.copyOf(changes);
    }

    /** The current entry's changes so far (since the last {@link #finishEntry()}), in revision order. */
    public List<Event> currentEntryChanges() {
        return List.copyOf(changes.subList(entryStart, changes.size()));
    }

    /**
     * Ends the writing and makes every change visible to readers before the LMDB commit (see the
     * class comment); returns the last revision. Only for key-value changes: a transaction that
     * schedules a compaction or writes auxiliary records must {@link #commit()} directly, since
     * those are read from LMDB alone.
     */
    public long publish() {
        ensureWritable();
        if (!compactions.isEmpty() || auxWritten) {
            throw new IllegalStateException("only key-value changes can be published before their commit");
        }
        ensureNotPoisoned();
        long rev = revision();
        published = true;
        if (!changes.isEmpty()) {
            store.publishedUnflushed(rev, changes);
        }
        return rev;
    }

    /**
     * Commits every entry atomically and publishes the last revision; returns it. After
     * {@link #publish()} a failed commit leaves readers seeing changes LMDB does not hold: the
     * exception then means the store must not be used any more (etcd panics there too); the
     * entries are applied again from the Raft log on restart.
     */
    public long commit() {
        ensureOpen();
        ensureNotPoisoned();
        if (consistentIndex >= 0) {
            backend.putMeta(txn, CONSISTENT_INDEX, consistentIndex);
            backend.putMeta(txn, TERM, term);
        }
        long rev = revision();
        long start = System.nanoTime();
        try {
            txn.commit();
            store.observer().backendCommit(System.nanoTime() - start);
        } catch (RuntimeException e) {
            finished = true; // a failed commit has already released the LMDB transaction
            txn.close();
            if (!published) {
                undo.rollback();
            }
            failCompaction();
            store.writeFinished(this);
            if (published || joined != null) {
                throw new IllegalStateException("the store could not commit changes it had published", e);
            }
            throw e;
        }
        finished = true;
        txn.close();
        boolean own = consistentIndex >= 0 || joined == null;
        store.published(rev, own ? consistentIndex : joined.consistentIndex, own ? term : joined.term);
        for (Map.Entry<Long, CompletableFuture<Void>> c : compactions) {
            store.compactAfterCommit(c.getKey(), c.getValue());
        }
        store.writeFinished(this);
        return rev;
    }

    /**
     * Ends a published transaction without its LMDB commit: the transaction stays open, later
     * group writes join it, and {@link MvccStore#commitPending()} commits them all. Its consistent
     * index is recorded in the transaction now, so whichever commit writes it records the right
     * one. Returns the last revision. The caller must reply only what the Raft log already holds
     * durably (see the class comment): until that commit, a crash loses the changes from LMDB
     * and the log applies them again.
     */
    public long commitLater() {
        ensureOpen();
        ensureNotPoisoned();
        if (!published) {
            throw new IllegalStateException("only a published transaction can be committed later");
        }
        if (consistentIndex >= 0) {
            backend.putMeta(txn, CONSISTENT_INDEX, consistentIndex);
            backend.putMeta(txn, TERM, term);
        }
        long rev = revision();
        finished = true;
        store.deferred(this, txn, rev, changes, consistentIndex, term);
        return rev;
    }

    @Override
    public void close() {
        if (!finished) {
            if (published) {
                commit(); // readers have seen it: it can only go forward
            } else {
                abort();
            }
        }
    }

    private void abort() {
        finished = true;
        if (joined != null) {
            abortJoined();
            return;
        }
        try {
            txn.abort();
            txn.close();
        } finally {
            undo.rollback();
            failCompaction();
            store.writeFinished(this);
        }
    }

    /** Deletes what this write added to the shared transaction; the earlier writes in it stay. */
    private void abortJoined() {
        undo.rollback();
        store.joinedAborted(this);
        try {
            for (int i = written.size() - 1; i >= 0; i--) {
                backend.deleteRevision(txn, written.get(i));
            }
        } catch (RuntimeException e) {
            // The shared transaction now holds records no index knows: it must never commit.
            store.abandonPending();
            throw new IllegalStateException("could not undo a write inside the open transaction", e);
        }
    }

    private void failCompaction() {
        for (Map.Entry<Long, CompletableFuture<Void>> c : compactions) {
            c.getValue().completeExceptionally(new IllegalStateException("write transaction aborted"));
        }
    }

    private KeyValue read(Revision rev) {
        byte[] v = backend.getRevision(txn, RevisionKeys.encode(rev, false));
        return v == null ? null : KeyValueCodec.decode(v);
    }

    private void ensureOpen() {
        if (finished) {
            throw new IllegalStateException("write transaction already finished");
        }
    }

    /** A transaction an operation left half-written can only be aborted. */
    private void ensureNotPoisoned() {
        if (poisoned != null) {
            throw new IllegalStateException("an operation failed after it began writing; abort this transaction",
                    poisoned);
        }
    }

    /** Compactions and auxiliary records cannot be undone inside a shared transaction. */
    private void ensureOwnTransaction() {
        if (joined != null) {
            throw new IllegalStateException("a write joined to the open transaction may only put and delete keys");
        }
    }

    private void ensureWritable() {
        ensureOpen();
        if (published) {
            throw new IllegalStateException("write transaction already published");
        }
    }
}
